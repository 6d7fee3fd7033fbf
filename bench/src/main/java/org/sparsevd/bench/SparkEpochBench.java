package org.sparsevd.bench;

import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.seed.NoiseSeed;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.Minibatches;
import org.sparsevd.job.config.ClusterOptions;
import org.sparsevd.job.config.DataOptions;
import org.sparsevd.job.config.ModelOptions;
import org.sparsevd.job.config.ScheduleOptions;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.train.CachedBlocks;
import org.sparsevd.job.train.Models;
import org.sparsevd.job.train.SparkTrainer;
import org.sparsevd.job.train.TrainingData;

/**
 * Epoch time of Sparse VD LeNet-300-100 trained data-parallel in Spark local mode (gradient all-reduce or parameter
 * averaging), next to a single-JVM
 * epoch over the same examples in the same process. Prints one markdown table row (bench/spark-epoch.sh runs a
 * matrix of settings, one JVM each, since OMP_NUM_THREADS is read when ND4J loads).
 *
 * <p>Usage: {@code SparkEpochBench DATA_DIR WORKERS SYNC [examples=60000] [batch=100]}, SYNC being {@code allreduce}
 * or an averaging frequency F ({@code --sync average --averaging-frequency F}), batch being
 * the global minibatch ({@code --batch-size}: batch / WORKERS per worker; the single JVM fits minibatches of batch).
 * Both paths train 2 epochs; the second is timed.
 */
public final class SparkEpochBench {
    public static void main(String[] args) {
        String dir = args[0];
        int workers = Integer.parseInt(args[1]);
        String sync = args[2];
        int examples = args.length > 3 ? Integer.parseInt(args[3]) : 60000;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        String master = "local[" + workers + "]";
        ClusterOptions cluster = sync.equals(ClusterOptions.ALLREDUCE)
                ? new ClusterOptions(master, workers, batch, ClusterOptions.ALLREDUCE, 0)
                : new ClusterOptions(master, workers, batch, Integer.parseInt(sync));
        TrainConfig config = new TrainConfig(new DataOptions(URI.create("file://" + dir), null, examples, DataOptions.IDX, 0, false, 0),
                new ModelOptions("lenet300", "sparsevd", 0.5, 1, null, 3, -10, -8, 8),
                new ScheduleOptions(2, 1e-3, "constant", 0, 1, 0, 0),
                cluster,
                URI.create("file:///unused"), 1);
        TrainingData data = TrainingData.load(config.data(), config.seed(), new Configuration());

        NativeThreads.apply();
        double single = singleJvmEpochSeconds(config, data.train(), batch);

        SparkConf conf = new SparkConf().setMaster("local[" + workers + "]").setAppName("spark-epoch-bench")
                .set("spark.ui.enabled", "false");
        double spark;
        try (JavaSparkContext sc = new JavaSparkContext(conf);
             CachedBlocks blocks = new CachedBlocks(sc, data.train(), workers)) {
            MultiLayerNetwork net = Models.build(config, blocks.total());
            SparkTrainer trainer = new SparkTrainer(sc, config, net, blocks, null);
            trainer.fitEpoch(0);
            long t0 = System.nanoTime();
            trainer.fitEpoch(1);
            spark = (System.nanoTime() - t0) / 1e9;
        }
        System.out.printf(java.util.Locale.ROOT, "| %d | %d | %d (%d) | %s | %s | %.1f | %.1f | %.2fx | %.0f |%n",
                data.train().count(), workers, batch, batch / workers, sync, System.getenv("OMP_NUM_THREADS"), single, spark,
                spark / single, data.train().count() / spark);
        // after an allreduce row the JVM did not end by itself (a thread Spark's barrier stages leave running), so
        // end it, as sparsevd's Main does
        System.exit(0);
    }

    private static double singleJvmEpochSeconds(TrainConfig config, LabeledImages train, int batch) {
        MultiLayerNetwork net = Models.build(config, train.count());
        List<DataSet> batches = Minibatches.shuffled(train, batch, 1, null);
        double seconds = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            long t0 = System.nanoTime();
            for (DataSet b : batches) {
                NoiseSeed.apply(config.seed(), epoch, b);
                net.fit(b);
            }
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        return seconds;
    }
}
