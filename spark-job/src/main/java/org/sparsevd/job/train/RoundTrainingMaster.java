package org.sparsevd.job.train;

import java.util.Collection;
import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * dl4j-spark's {@link ParameterAveragingTrainingMaster} for the RDDs of {@link RoundBatches}, without the work per
 * round that needs doing only once (issue 15): the Spark job that counts every round's minibatches, and the network
 * each worker built anew from the configuration every round.
 *
 * <p>The master counts the minibatches only to split the RDD into pieces of W·F ({@code getNumDataSetObjectsPerSplit}:
 * W workers, F minibatches of {@code batchSizePerWorker} each between averagings) and keeps the RDD whole when the
 * count is at most that. A round of {@link RoundBatches} never holds more: W partitions of at most F minibatches. So
 * answering W·F makes the same decision (one split, the RDD itself, and the same draw from the master's seeded
 * random generator) without the job, and training is unchanged bit for bit.
 *
 * <p>Its workers take their network from the executor JVM's {@link ReplicaPool} and give it back with their result,
 * whose parameters and updater state they copy out first (dl4j-spark's result holds the network's own arrays). The
 * master {@link AveragingRounds} builds saves the updater and has no listeners or training statistics, which
 * dl4j-spark's worker would set up on the network it builds.
 */
final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {
    RoundTrainingMaster(Builder builder) {
        super(builder);
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> trainingData) {
        return getNumDataSetObjectsPerSplit(rddDataSetNumExamples);
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        MultiLayerNetwork net = network.getNetwork();
        Broadcast<NetBroadcastTuple> broadcast = network.getSparkContext().broadcast(new NetBroadcastTuple(
                net.getLayerWiseConfigurations(), net.params(), net.getUpdater().getStateViewArray()));
        return new PooledWorker(broadcast, new WorkerConfiguration(false, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, false), trainingHookList);
    }

    /** dl4j-spark's averaging worker on a network from the {@link ReplicaPool}. */
    private static final class PooledWorker extends ParameterAveragingTrainingWorker {
        private final Broadcast<NetBroadcastTuple> broadcast;

        PooledWorker(Broadcast<NetBroadcastTuple> broadcast, WorkerConfiguration configuration,
                     Collection<TrainingHook> hooks) {
            super(broadcast, true, configuration, hooks, null, null);
            this.broadcast = broadcast;
        }

        @Override
        public MultiLayerNetwork getInitialModel() {
            return ReplicaPool.SHARED.take(broadcast.getValue());
        }

        @Override
        public ParameterAveragingTrainingResult getFinalResult(MultiLayerNetwork network) {
            ParameterAveragingTrainingResult own = super.getFinalResult(network);
            ParameterAveragingTrainingResult result = new ParameterAveragingTrainingResult(own.getParameters().dup(),
                    own.getUpdaterState().dup(), own.getScore(), null, null, null);
            ReplicaPool.SHARED.give(network);
            return result;
        }
    }
}
