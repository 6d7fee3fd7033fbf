package org.sparsevd.job.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.core.schedule.KlWeightSchedule;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.job.config.ClusterOptions;
import org.sparsevd.job.config.TrainConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark training loop. An epoch is a sequence of rounds; in each round every worker (one partition of the cached
 * training blocks) works on its next minibatches of {@link ClusterOptions#workerBatchSize()} (the global minibatch
 * / W) of its own shuffled examples ({@link RoundBatches}), and the round's result is the driver's network:
 * <ul>
 *   <li>{@code --sync allreduce} ({@link AllReduceRounds}): a round is a barrier stage of
 *       {@link AllReduceRounds#STEPS_PER_STAGE} steps in which the W workers' gradients are summed every step, so each
 *       step is one optimizer step on the global minibatch, as one JVM with that minibatch takes it;</li>
 *   <li>{@code --sync average} ({@link AveragingRounds}): a round is F steps of every worker on its own, then
 *       dl4j-spark averages parameters and Adam state.</li>
 * </ul>
 * With one worker, all-reduce is one JVM's training (DL4J's {@code fit}, bit for bit); averaging is too as long as F
 * divides the steps of an epoch (dl4j-spark advances Adam's iteration count by F per round, also for a last round of
 * fewer steps). Before each epoch the driver sets the epoch's KL weight and learning rate in the network
 * configuration, which is broadcast with the parameters every round.
 *
 * <p>N, the training-set size in the KL term's weight {@code klWeight / N}, is counted once over the whole training
 * RDD on the driver and set in every SparseVD layer, never per partition.
 */
public final class SparkTrainer {
    private static final Logger log = LoggerFactory.getLogger(SparkTrainer.class);

    private final JavaSparkContext sc;
    private final TrainConfig config;
    private final Rounds fitter;
    private final CachedBlocks train;
    private final ChannelNormalization normalization;
    private final KlWeightSchedule klSchedule;
    /** Minibatches per worker in a round: F, or the steps of an all-reduce stage. */
    private final int batchesPerRound;
    private final int roundsPerEpoch;
    private final List<TrainingHook> extraHooks = new ArrayList<>();
    private RoundListener rounds = RoundListener.NONE;
    private final Map<String, Long> work = new TreeMap<>();

    /**
     * @param train the training examples, one block per worker
     * @param net   an initialized network; its SparseVD layers are given the global N here
     */
    public SparkTrainer(JavaSparkContext sc, TrainConfig config, MultiLayerNetwork net, CachedBlocks train,
                        ChannelNormalization normalization) {
        this(sc, config, net, train, normalization, false);
    }

    /**
     * @param clusterPath run every all-reduce stage as on a cluster ({@link AllReduceRounds}): only for the tests
     *                    that check that the local-mode and one-worker shortcuts change no bit
     */
    SparkTrainer(JavaSparkContext sc, TrainConfig config, MultiLayerNetwork net, CachedBlocks train,
                 ChannelNormalization normalization, boolean clusterPath) {
        ClusterOptions c = config.cluster();
        boolean allReduce = c.allReduce();
        if (train.rdd().getNumPartitions() != c.workers()) {
            throw new IllegalArgumentException("the training data has " + train.rdd().getNumPartitions()
                    + " blocks for " + c.workers() + " workers");
        }
        this.sc = sc;
        this.config = config;
        this.train = train;
        this.normalization = normalization;
        SparseVdLayers.setTrainSetSize(net.getLayerWiseConfigurations(), train.total());
        // A baseline without Sparse VD layers (--variant plain|dropout) has no KL term: its metrics say weight 0.
        this.klSchedule = SparseVdLayers.list(net).isEmpty() ? KlWeightSchedule.constant(0)
                : config.schedule().klSchedule();
        this.batchesPerRound = allReduce ? AllReduceRounds.STEPS_PER_STAGE : c.averagingFrequency();
        this.roundsPerEpoch = train.counts().stream()
                .mapToInt(n -> RoundBatches.rounds(n, c.workerBatchSize(), batchesPerRound)).max().orElse(0);
        this.fitter = allReduce ? new AllReduceRounds(sc, net, c.workers(), clusterPath)
                : new AveragingRounds(sc, c, config.seed(), net);
        log.info("N = {} training examples over {} workers {}; global batch {} ({} per worker), {}: {} rounds of {} "
                + "steps per epoch", train.total(), c.workers(), train.counts(), c.batchSize(), c.workerBatchSize(),
                allReduce ? "gradients all-reduced every step" : "parameters averaged every " + batchesPerRound
                        + " steps", roundsPerEpoch, batchesPerRound);
    }

    /** N: the number of training examples, counted over the whole training RDD. */
    public long trainSetSize() {
        return train.total();
    }

    public MultiLayerNetwork network() {
        return fitter.network();
    }

    /** Training examples fitted per executor id over the epochs this trainer ran. */
    public Map<String, Long> examplesPerExecutor() {
        return new TreeMap<>(work);
    }

    /** The KL weight of 0-based {@code epoch}. */
    public double klWeight(int epoch) {
        return klSchedule.weight(epoch);
    }

    /** The KL-weight schedule this trainer follows (weight 0 throughout for a network without Sparse VD layers). */
    public KlWeightSchedule klSchedule() {
        return klSchedule;
    }

    /** The learning rate of 0-based {@code epoch} under the configured decay. */
    public double learningRate(int epoch) {
        var s = config.schedule();
        if (s.lrDecay().equals("constant") || s.epochs() == 1) {
            return s.learningRate();
        }
        double f = (double) epoch / (s.epochs() - 1);
        return s.learningRate() + f * (s.lrFinal() - s.learningRate());
    }

    /** Adds a hook that runs around every minibatch update on the executors (tests use it to observe training). */
    void addHook(TrainingHook extra) {
        extraHooks.add(extra);
    }

    /** Tells {@code listener} about the rounds of the epochs fitted from now on. */
    public void listen(RoundListener listener) {
        this.rounds = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Fits one epoch (0-based) and returns its KL weight and the means of its minibatches' losses. */
    public EpochFit fitEpoch(int epoch) {
        MultiLayerNetwork net = fitter.network();
        double klWeight = klWeight(epoch);
        SparseVdLayers.setKlWeight(net.getLayerWiseConfigurations(), klWeight);
        net.setLearningRate(learningRate(epoch));

        OrderFreeSum lossSum = new OrderFreeSum();
        OrderFreeSum objectiveSum = new OrderFreeSum();
        sc.sc().register(lossSum, "sparsevd: data loss sum, epoch " + (epoch + 1));
        sc.sc().register(objectiveSum, "sparsevd: objective sum, epoch " + (epoch + 1));
        LongAccumulator examples = sc.sc().longAccumulator();
        LongAccumulator correct = sc.sc().longAccumulator();
        ExecutorWork epochWork = new ExecutorWork();
        sc.sc().register(epochWork, "sparsevd: examples per executor, epoch " + (epoch + 1));
        List<TrainingHook> hooks = new ArrayList<>(extraHooks);
        hooks.add(new EpochHook(config.seed(), epoch, lossSum, objectiveSum, examples, correct, epochWork));

        int epochs = config.schedule().epochs();
        ClusterOptions c = config.cluster();
        rounds.epochStarted(epoch, roundsPerEpoch);
        try {
            for (int round = 0; round < roundsPerEpoch; round++) {
                sc.setJobDescription("sparsevd: epoch " + (epoch + 1) + "/" + epochs + ", round "
                        + (round + 1) + "/" + roundsPerEpoch);
                JavaRDD<DataSet> batches = RoundBatches.of(train.rdd(), config.seed(), epoch, round,
                        c.workerBatchSize(), batchesPerRound, normalization, config.data().augment());
                fitter.fit(batches, steps(round), hooks);
                rounds.roundDone(round + 1, examples.value());
            }
        } finally {
            sc.setJobDescription(null);
        }
        log.info("Epoch {}: examples fitted per executor {}", epoch + 1, epochWork.value());
        epochWork.value().forEach((executor, n) -> work.merge(executor, n, Long::sum));
        long n = examples.value();
        return new EpochFit(klWeight, n == 0 ? Double.NaN : lossSum.value() / n,
                n == 0 ? Double.NaN : objectiveSum.value() / n, n == 0 ? Double.NaN : (double) correct.value() / n);
    }

    /** The minibatches of {@code round} in the worker that has the most of them. */
    private int steps(int round) {
        int b = config.cluster().workerBatchSize();
        return train.counts().stream().mapToInt(n -> RoundBatches.batchesIn(round, n, b, batchesPerRound))
                .max().orElse(0);
    }
}
