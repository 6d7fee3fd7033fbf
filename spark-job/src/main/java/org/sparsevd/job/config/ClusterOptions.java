package org.sparsevd.job.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * How training is spread over Spark: synchronous data parallelism. {@code batchSize} is the global minibatch, split
 * evenly over the {@code workers}: each worker computes on {@link #workerBatchSize()} examples per optimizer step, so
 * one step of the W workers together covers {@code batchSize} examples and an epoch has N / {@code batchSize} steps
 * whatever W is, as in a single JVM. How the workers combine their work is {@code sync}:
 * <ul>
 *   <li>{@value #ALLREDUCE} (default): every step, the workers' gradients are summed (through a hub on the driver,
 *       in a Spark barrier stage) and every worker applies the same Adam step on that sum: one step on the global
 *       minibatch, the method of PyTorch DDP and Horovod. {@code averagingFrequency} is 0 (there is no averaging)
 *       and must not be given.</li>
 *   <li>{@value #AVERAGE}: dl4j-spark parameter averaging; each worker takes {@code averagingFrequency} steps of
 *       its own, then the parameters and Adam state are averaged (an approximation of the global step, which loses
 *       accuracy with 2 or more workers; less traffic).</li>
 * </ul>
 * With one worker, {@value #ALLREDUCE} is one JVM's training; {@value #AVERAGE} is too when F divides the steps of an
 * epoch (dl4j-spark advances Adam's iteration count by F per round, also for a shorter last round).
 *
 * @param master             Spark master URL, or {@code null}: the one spark-submit set, else {@code local[workers]}
 * @param workers            number of parallel training workers (Spark tasks per step or averaging round)
 * @param batchSize          global minibatch size; training needs a multiple of {@code workers}
 * @param sync               {@value #ALLREDUCE} or {@value #AVERAGE}
 * @param averagingFrequency under {@value #AVERAGE}, optimizer steps each worker takes between two parameter
 *                           averagings (0: {@value #DEFAULT_AVERAGING_FREQUENCY}); under {@value #ALLREDUCE}, 0
 */
public record ClusterOptions(String master, int workers, int batchSize, String sync, int averagingFrequency) {
    /** Gradient all-reduce every step. */
    public static final String ALLREDUCE = "allreduce";
    /** Parameter averaging every {@code averagingFrequency} steps. */
    public static final String AVERAGE = "average";
    /** The values of {@code --sync}. */
    public static final List<String> SYNCS = List.of(ALLREDUCE, AVERAGE);
    /** The averaging frequency of {@value #AVERAGE} when none is given. */
    public static final int DEFAULT_AVERAGING_FREQUENCY = 10;

    public ClusterOptions {
        if (master != null && master.isBlank()) {
            throw new JobConfigException("--master must not be empty");
        }
        Checks.positive("--workers", workers);
        Checks.positive("--batch-size", batchSize);
        if (!SYNCS.contains(sync)) {
            throw new JobConfigException("--sync " + sync + ": must be one of " + String.join(", ", SYNCS));
        }
        if (sync.equals(ALLREDUCE) && averagingFrequency != 0) {
            throw new JobConfigException("--averaging-frequency " + averagingFrequency + " applies to --sync "
                    + AVERAGE + " only: --sync " + ALLREDUCE + " combines the workers' gradients every step");
        }
        if (sync.equals(AVERAGE)) {
            averagingFrequency = averagingFrequency == 0 ? DEFAULT_AVERAGING_FREQUENCY : averagingFrequency;
            Checks.positive("--averaging-frequency", averagingFrequency);
        }
    }

    /** {@value #AVERAGE} every {@code averagingFrequency} steps (e.g. for scoring jobs, where it does not matter). */
    public ClusterOptions(String master, int workers, int batchSize, int averagingFrequency) {
        this(master, workers, batchSize, AVERAGE, averagingFrequency);
    }

    /** Whether the workers all-reduce their gradients every step ({@value #ALLREDUCE}). */
    public boolean allReduce() {
        return sync.equals(ALLREDUCE);
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
