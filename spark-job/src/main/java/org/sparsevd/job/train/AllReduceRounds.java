package org.sparsevd.job.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
 * <p>A stage costs a broadcast of the parameters and Adam state, a network build per task and a Spark job. Measured
 * with LeNet-300-100 on 10,000 images (BENCHMARKS.md, "All-reduce through the driver's hub"), 100 steps per stage
 * trained 20% more examples/s than 25 (2 workers: 1,263 against 1,056 and 1,040) and still give the driver a round
 * (a progress line, see {@link EpochProgress}) every few seconds; a stage that fails is re-run whole, so it should
 * not grow much further. Each step moves every worker's gradient to the driver's {@link AllReduceHub} and the sum
 * back to every worker: 2W gradients through the driver a step, which is what limits this mode on a cluster. With
 * one worker there is nothing to sum and nothing is exchanged (the sum of one gradient is that gradient). In local
 * mode, where the tasks are threads of the driver's JVM, a stage serializes and sends nothing
 * ({@link LocalAllReduce}): no broadcast, the result handed back as it is, the gradients added in shared memory,
 * with the same bits. The hub listens on {@value #PORT} (default 0: any free port) for at most {@value #TIMEOUT}
 * (default {@value #DEFAULT_TIMEOUT}) of silence from a worker.
 */
final class AllReduceRounds implements Rounds {
    /** Optimizer steps per barrier stage (the last stage of an epoch takes the rest). */
    static final int STEPS_PER_STAGE = 100;
    /** The Spark setting that pins the hub's port, for clusters whose firewall lets only known ports through. */
    static final String PORT = "spark.sparsevd.allreduce.port";
    /** The Spark setting of how long the hub and the workers wait for each other before failing the stage. */
    static final String TIMEOUT = "spark.sparsevd.allreduce.timeout";
    static final String DEFAULT_TIMEOUT = "10min";
    private static final ClassTag<AllReduceStage.Result> RESULT = ClassTag$.MODULE$.apply(AllReduceStage.Result.class);

    private final JavaSparkContext sc;
    private final MultiLayerNetwork net;
    private final int workers;
    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final boolean clusterPath;
    /** Whether the tasks run in this JVM and see its classes: local mode, not loading classes of their own. */
    private final boolean inThisJvm;

    /** Checks that {@code sc} can run barrier stages of {@code workers} tasks exchanging {@code net}'s gradient. */
    AllReduceRounds(JavaSparkContext sc, MultiLayerNetwork net, int workers) {
        this(sc, net, workers, false);
    }

    /**
     * @param clusterPath run every stage as on a cluster, whatever the mode and the number of workers (a broadcast,
     *                    the TCP hub, a serialized result; by default local mode uses {@link LocalAllReduce} and one
     *                    worker sums nothing): only for the tests that check that these shortcuts change no bit
     */
    AllReduceRounds(JavaSparkContext sc, MultiLayerNetwork net, int workers, boolean clusterPath) {
        checkCluster(sc, workers);
        for (NeuralNetConfiguration layer : net.getLayerWiseConfigurations().getConfs()) {
            GradientNormalization g = layer.getLayer().getGradientNormalization();
            if (g != null && g != GradientNormalization.None) {
                throw new IllegalArgumentException("--sync allreduce does not apply gradient normalization (" + g
                        + ")");
            }
        }
        this.sc = sc;
        this.net = net;
        this.workers = workers;
        SparkConf conf = sc.getConf();
        this.host = conf.get("spark.driver.host", localHost());
        this.port = conf.getInt(PORT, 0);
        long timeout = conf.getTimeAsMs(TIMEOUT, DEFAULT_TIMEOUT);
        if (port < 0 || port > 65535 || timeout < 1 || timeout > Integer.MAX_VALUE) {
            throw new JobConfigException("--sync allreduce needs " + PORT + " in 0..65535 (0: any free port) and "
                    + TIMEOUT + " of at least 1ms and at most 24 days, not " + port + " and " + timeout
                    + " ms (or train with --sync average)");
        }
        this.timeoutMillis = (int) timeout;
        this.clusterPath = clusterPath;
        this.inThisJvm = sc.isLocal() && !conf.getBoolean("spark.executor.userClassPathFirst", false);
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            throw new UncheckedIOException("--sync allreduce: the driver's host address: " + e.getMessage(), e);
        }
    }

    /** Fails with a one-line message when Spark cannot run the barrier stages of {@code workers} workers. */
    static void checkCluster(JavaSparkContext sc, int workers) {
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
    }

    @Override
    public MultiLayerNetwork network() {
        return net;
    }

    @Override
    public void fit(JavaRDD<DataSet> batches, int steps, List<TrainingHook> hooks) {
        NetBroadcastTuple start = new NetBroadcastTuple(net.getLayerWiseConfigurations(), net.params(),
                net.getUpdater().getStateViewArray());
        // one worker has nothing to sum with and skips the exchange, except on the cluster path (which runs every stage
        // as on a cluster, whatever the number of workers)
        boolean alone = workers == 1 && !clusterPath;
        AllReduceStage.Result r;
        if (inThisJvm && !clusterPath) {
            try (LocalAllReduce stage = new LocalAllReduce(start, workers, steps, timeoutMillis)) {
                run(batches, stage.state(), alone ? null : stage, steps, hooks, 0);
                r = stage.result();
            }
            if (r == null) {
                throw new IllegalStateException("an all-reduce stage handed back no result");
            }
        } else {
            Broadcast<NetBroadcastTuple> state = sc.broadcast(start);
            try (AllReduceHub hub = alone ? null
                    : new AllReduceHub(host, port, workers, (int) net.numParams(), steps, timeoutMillis)) {
                r = run(batches, new AllReduceStage.Broadcasted(state), hub, steps, hooks, 1).get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            } finally {
                state.destroy();
            }
        }
        net.params().assign(r.params());
        net.getUpdater().getStateViewArray().assign(r.updaterState());
        net.getLayerWiseConfigurations().setIterationCount(r.iterations());
    }

    /**
     * Runs one barrier stage whose tasks start from {@code state} and sum their gradients through {@code exchange}
     * ({@code null}: one worker, nothing to sum), and returns the results the tasks returned to Spark, which must
     * be {@code expected}.
     */
    private List<AllReduceStage.Result> run(JavaRDD<DataSet> batches, AllReduceStage.State state,
                                            GradientExchange.Host exchange, int steps, List<TrainingHook> hooks,
                                            int expected) {
        List<AllReduceStage.Result> results;
        try {
            results = batches.rdd().barrier().mapPartitions(new AllReduceStage(state,
                    exchange == null ? null : exchange.point(), steps, hooks), false, RESULT).toJavaRDD().collect();
        } catch (RuntimeException e) {
            throw exchange == null || exchange.failure() == null ? e
                    : new IllegalStateException("--sync allreduce failed: " + exchange.failure(), e);
        }
        if (results.size() != expected) {
            throw new IllegalStateException("an all-reduce stage returned " + results.size() + " results");
        }
        return results;
    }
}
