package org.sparsevd.job.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.spark.SparkConf;

/**
 * How training is spread over Spark: synchronous data parallelism by parameter averaging. {@code batchSize} is the
 * global minibatch, split evenly over the {@code workers}: each worker fits {@link #workerBatchSize()} examples per
 * optimizer step, so one step of the W workers together covers {@code batchSize} examples and an epoch has N /
 * {@code batchSize} steps whatever W is, as in a single JVM. The workers average their parameters and Adam state
 * every {@code averagingFrequency} steps.
 *
 * @param master             Spark master URL, or {@code null}: the one spark-submit set, else {@code local[workers]}
 * @param workers            number of parallel training workers (Spark tasks per averaging round)
 * @param batchSize          global minibatch size; training needs a multiple of {@code workers}
 * @param averagingFrequency optimizer steps each worker takes between two parameter averagings
 */
public record ClusterOptions(String master, int workers, int batchSize, int averagingFrequency) {
    public ClusterOptions {
        if (master != null && master.isBlank()) {
            throw new JobConfigException("--master must not be empty");
        }
        Checks.positive("--workers", workers);
        Checks.positive("--batch-size", batchSize);
        Checks.positive("--averaging-frequency", averagingFrequency);
    }

    /** Fails unless the global minibatch splits evenly over the workers (training needs it; scoring does not). */
    void checkEvenSplit() {
        if (batchSize % workers != 0) {
            int below = batchSize / workers * workers;
            throw new JobConfigException("--batch-size " + batchSize + " (the global minibatch) must be a multiple of "
                    + "--workers " + workers + " so that every worker fits an equal share; use "
                    + (below > 0 ? below + " or " : "") + (below + workers));
        }
    }

    /** The minibatch each worker fits per optimizer step: the global {@code batchSize} / {@code workers}. */
    @JsonProperty("worker_batch_size")
    public int workerBatchSize() {
        return batchSize / workers;
    }

    /** A Spark configuration named {@code appName} on {@link #master}, else spark-submit's, else local[workers]. */
    public SparkConf sparkConf(String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + workers + "]");
        }
        return conf;
    }
}
