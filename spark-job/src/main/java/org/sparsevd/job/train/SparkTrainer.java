package org.sparsevd.job.train;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.core.schedule.KlWeightSchedule;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.job.config.ClusterOptions;
import org.sparsevd.job.config.TrainConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark averaging loop. An epoch is a sequence of averaging rounds; in each round every worker (one partition of
 * the cached training blocks) fits {@code averagingFrequency} minibatches of {@link ClusterOptions#workerBatchSize()}
 * (the global minibatch / W) of its own shuffled examples, starting from the driver's parameters and Adam state, and
 * dl4j-spark's {@link ParameterAveragingTrainingMaster} averages the results (broadcast, fit, tree-aggregate; without
 * its count job: {@link RoundTrainingMaster}): the
 * arithmetic mean of the parameters (log σ² included) and of Adam's moment estimates. With one step per round and
 * plain SGD, that mean is exactly one step on the global minibatch (each worker's gradient is the mean over its
 * share, the KL term's is the same on every worker); with F steps a round moves the model about as far as F steps
 * of one JVM, so an epoch makes the same progress as one JVM's N / batch steps. Before each epoch the driver sets the epoch's KL weight and learning
 * rate in the network configuration, which the master broadcasts with the parameters every round.
 *
 * <p>N, the training-set size in the KL term's weight {@code klWeight / N}, is counted once over the whole training
 * RDD on the driver and set in every SparseVD layer, never per partition.
 */
public final class SparkTrainer {
    private static final Logger log = LoggerFactory.getLogger(SparkTrainer.class);

    private final JavaSparkContext sc;
    private final TrainConfig config;
    private final SparkDl4jMultiLayer sparkNet;
    private final ParameterAveragingTrainingMaster master;
    private final CachedBlocks train;
    private final ChannelNormalization normalization;
    private final KlWeightSchedule klSchedule;
    private final int roundsPerEpoch;
    private EpochHook hook;
    private RoundListener rounds = RoundListener.NONE;
    private final Map<String, Long> work = new TreeMap<>();

    /**
     * @param train the training examples, one block per worker
     * @param net   an initialized network; its SparseVD layers are given the global N here
     */
    public SparkTrainer(JavaSparkContext sc, TrainConfig config, MultiLayerNetwork net, CachedBlocks train,
                        ChannelNormalization normalization) {
        ClusterOptions c = config.cluster();
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
        this.roundsPerEpoch = train.counts().stream()
                .mapToInt(n -> RoundBatches.rounds(n, c.workerBatchSize(), c.averagingFrequency())).max().orElse(0);
        this.master = new RoundTrainingMaster(new ParameterAveragingTrainingMaster.Builder(c.workers(),
                c.workerBatchSize())
                .batchSizePerWorker(c.workerBatchSize())
                .averagingFrequency(c.averagingFrequency())
                .saveUpdater(true)
                .rngSeed(config.seed())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .storageLevel(null));
        this.sparkNet = new SparkDl4jMultiLayer(sc, net, master);
        log.info("N = {} training examples over {} workers {}; global batch {} ({} per worker), averaging every {} "
                + "steps: {} averaging rounds per epoch", train.total(), c.workers(), train.counts(), c.batchSize(),
                c.workerBatchSize(), c.averagingFrequency(), roundsPerEpoch);
    }

    /** N: the number of training examples, counted over the whole training RDD. */
    public long trainSetSize() {
        return train.total();
    }

    public MultiLayerNetwork network() {
        return sparkNet.getNetwork();
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
        master.addHook(extra);
    }

    /** Tells {@code listener} about the averaging rounds of the epochs fitted from now on. */
    public void listen(RoundListener listener) {
        this.rounds = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Fits one epoch (0-based) and returns its KL weight and the means of its minibatches' losses. */
    public EpochFit fitEpoch(int epoch) {
        MultiLayerNetwork net = sparkNet.getNetwork();
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
        if (hook != null) {
            master.removeHook(hook);
        }
        hook = new EpochHook(config.seed(), epoch, lossSum, objectiveSum, examples, correct, epochWork);
        master.addHook(hook);

        int epochs = config.schedule().epochs();
        ClusterOptions c = config.cluster();
        rounds.epochStarted(epoch, roundsPerEpoch);
        try {
            for (int round = 0; round < roundsPerEpoch; round++) {
                sc.setJobDescription("sparsevd: epoch " + (epoch + 1) + "/" + epochs + ", averaging round "
                        + (round + 1) + "/" + roundsPerEpoch);
                JavaRDD<DataSet> batches = RoundBatches.of(train.rdd(), config.seed(), epoch, round,
                        c.workerBatchSize(), c.averagingFrequency(), normalization, config.data().augment());
                sparkNet.fit(batches);
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
}
