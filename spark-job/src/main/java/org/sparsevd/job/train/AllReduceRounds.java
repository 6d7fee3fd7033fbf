package org.sparsevd.job.train;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.job.config.ClusterOptions;
import org.sparsevd.job.config.JobConfigException;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * {@code --sync allreduce}, the driver side: a round is one Spark barrier stage of {@link #STEPS_PER_STAGE} (or, at
 * the end of an epoch, fewer) synchronous optimizer steps on the global minibatch ({@link AllReduceStage}):
 * broadcast (configuration, parameters, updater state) → barrier mapPartitions over the round's minibatches, one
 * task per worker → collect task 0's result into the driver's network → destroy the broadcast.
 *
 * <p>A stage costs a broadcast of the parameters and Adam state, a network build per task and a Spark job, about a
 * step's worth of work for LeNet-300-100; 25 steps per stage keep that small and still give the driver a round (a
 * progress line, see {@link EpochProgress}) every few seconds. Each step moves every worker's gradient through the
 * driver to every worker ({@code allGather}), which is what limits this mode on a cluster.
 */
final class AllReduceRounds implements Rounds {
    /** Optimizer steps per barrier stage (the last stage of an epoch takes the rest). */
    static final int STEPS_PER_STAGE = 25;
    private static final ClassTag<AllReduceStage.Result> RESULT = ClassTag$.MODULE$.apply(AllReduceStage.Result.class);

    private final JavaSparkContext sc;
    private final MultiLayerNetwork net;

    /** Checks that {@code sc} can run barrier stages of {@code workers} tasks exchanging {@code net}'s gradient. */
    AllReduceRounds(JavaSparkContext sc, MultiLayerNetwork net, int workers) {
        checkCluster(sc, workers, net.numParams());
        for (NeuralNetConfiguration layer : net.getLayerWiseConfigurations().getConfs()) {
            GradientNormalization g = layer.getLayer().getGradientNormalization();
            if (g != null && g != GradientNormalization.None) {
                throw new IllegalArgumentException("--sync allreduce does not apply gradient normalization (" + g
                        + ")");
            }
        }
        this.sc = sc;
        this.net = net;
    }

    /**
     * Fails with a one-line message when Spark cannot run the barrier stages of {@code workers} workers, or their
     * gradients of {@code params} floats do not fit in one RPC message.
     */
    static void checkCluster(JavaSparkContext sc, int workers, long params) {
        SparkConf conf = sc.getConf();
        String hint = " (or train with --sync average)";
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw new JobConfigException("--sync allreduce runs every step as a Spark barrier stage, which Spark "
                    + "cannot run with spark.dynamicAllocation.enabled=true: turn it off" + hint);
        }
        int slots = sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
        if (slots < workers) {
            throw new JobConfigException("--sync allreduce runs the " + workers + " workers as one barrier stage, all "
                    + "at once, but Spark has " + slots + " task slots (" + conf.get("spark.master", "?")
                    + "): give it " + workers + " or use fewer --workers" + hint);
        }
        long maxBytes = conf.getSizeAsMb("spark.rpc.message.maxSize", "128") * 1024 * 1024;
        long bytes = workers * GradientMessage.length(params);
        if (bytes > maxBytes) {
            throw new JobConfigException("--sync allreduce sends the " + workers + " workers' gradients of " + params
                    + " parameters to every worker each step: " + bytes / (1024 * 1024) + " MiB, more than "
                    + "spark.rpc.message.maxSize (" + maxBytes / (1024 * 1024) + " MiB): raise it (at most 2047), "
                    + "use fewer --workers" + hint);
        }
    }

    @Override
    public MultiLayerNetwork network() {
        return net;
    }

    @Override
    public void fit(JavaRDD<DataSet> batches, int steps, List<TrainingHook> hooks) {
        Broadcast<NetBroadcastTuple> state = sc.broadcast(new NetBroadcastTuple(net.getLayerWiseConfigurations(),
                net.params(), net.getUpdater().getStateViewArray()));
        try {
            List<AllReduceStage.Result> results = batches.rdd().barrier()
                    .mapPartitions(new AllReduceStage(state, steps, hooks), false, RESULT).toJavaRDD().collect();
            if (results.size() != 1) {
                throw new IllegalStateException("an all-reduce stage returned " + results.size() + " results");
            }
            AllReduceStage.Result r = results.get(0);
            net.params().assign(r.params());
            net.getUpdater().getStateViewArray().assign(r.updaterState());
            net.getLayerWiseConfigurations().setIterationCount(r.iterations());
        } finally {
            state.destroy();
        }
    }
}
