package org.sparsevd.job.train;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.job.config.ClusterOptions;

/**
 * {@code --sync average}: every worker fits the round's F minibatches of its own, starting from the driver's
 * parameters and Adam state, and dl4j-spark's {@link ParameterAveragingTrainingMaster} averages the results
 * (broadcast, fit, tree-aggregate; without its count job: {@link RoundTrainingMaster}): the arithmetic mean of the
 * parameters (log σ² included) and of Adam's moment estimates. With one step per round and plain SGD that mean is
 * exactly one step on the global minibatch; with Adam or F > 1 it is an approximation (each worker follows its own
 * Adam trajectory for F steps). With one worker it is one JVM's training when F divides the steps of an epoch
 * (the master advances the iteration count by F per round).
 */
final class AveragingRounds implements Rounds {
    private final ParameterAveragingTrainingMaster master;
    private final SparkDl4jMultiLayer sparkNet;
    private List<TrainingHook> hooks = List.of();

    /** Averaging every {@link ClusterOptions#averagingFrequency()} steps of the workers of {@code c}. */
    AveragingRounds(JavaSparkContext sc, ClusterOptions c, long seed, MultiLayerNetwork net) {
        this.master = new RoundTrainingMaster(new ParameterAveragingTrainingMaster.Builder(c.workers(),
                c.workerBatchSize())
                .batchSizePerWorker(c.workerBatchSize())
                .averagingFrequency(c.averagingFrequency())
                .saveUpdater(true)
                .rngSeed(seed)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .storageLevel(null));
        this.sparkNet = new SparkDl4jMultiLayer(sc, net, master);
    }

    @Override
    public MultiLayerNetwork network() {
        return sparkNet.getNetwork();
    }

    @Override
    public void fit(JavaRDD<DataSet> batches, int steps, List<TrainingHook> hooks) {
        if (!hooks.equals(this.hooks)) {
            this.hooks.forEach(master::removeHook);
            hooks.forEach(master::addHook);
            this.hooks = List.copyOf(hooks);
        }
        sparkNet.fit(batches);
    }
}
