package org.sparsevd.job.train;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How the workers fit one round of an epoch ({@link RoundBatches}: one partition of minibatches per worker) into
 * the driver's network: {@link AveragingRounds} or {@link AllReduceRounds}.
 */
interface Rounds {
    /** The driver's network, holding the result of every round fitted so far. */
    MultiLayerNetwork network();

    /**
     * Fits {@code batches} and leaves the result in {@link #network()}.
     *
     * @param steps the number of minibatches of the round's largest partition
     * @param hooks called on the executors around every minibatch, in this order
     */
    void fit(JavaRDD<DataSet> batches, int steps, List<TrainingHook> hooks);
}
