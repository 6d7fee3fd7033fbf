package org.sparsevd.job.train;

import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * dl4j-spark's {@link ParameterAveragingTrainingMaster} for the RDDs of {@link RoundBatches}, without the Spark job
 * that counts every round's minibatches (issue 15: it computed the round's minibatches once more just to count them).
 *
 * <p>The master counts the minibatches only to split the RDD into pieces of W·F ({@code getNumDataSetObjectsPerSplit}:
 * W workers, F minibatches of {@code batchSizePerWorker} each between averagings) and keeps the RDD whole when the
 * count is at most that. A round of {@link RoundBatches} never holds more: W partitions of at most F minibatches. So
 * answering W·F makes the same decision (one split, the RDD itself, and the same draw from the master's seeded
 * random generator) without the job, and training is unchanged bit for bit.
 */
final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {
    RoundTrainingMaster(Builder builder) {
        super(builder);
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> trainingData) {
        return getNumDataSetObjectsPerSplit(rddDataSetNumExamples);
    }
}
