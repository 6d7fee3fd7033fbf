package org.sparsevd.job;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Spark contexts for tests: local mode, no UI, small shuffles. */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static JavaSparkContext start(int cores) {
        SparkConf conf = new SparkConf()
                .setMaster("local[" + cores + "]")
                .setAppName("sparsevd-test")
                .set("spark.ui.enabled", "false")
                .set("spark.sql.shuffle.partitions", "2")
                .set("spark.driver.host", "127.0.0.1");
        return new JavaSparkContext(conf);
    }
}
