package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.core.seed.NoiseSeed;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.TrainAndTestSets;
import org.sparsevd.datasets.TrainingSubset;
import org.sparsevd.job.FashionMnist;
import org.sparsevd.job.LocalSpark;
import org.sparsevd.job.config.ClusterOptions;
import org.sparsevd.job.config.DataOptions;
import org.sparsevd.job.config.ModelOptions;
import org.sparsevd.job.config.ScheduleOptions;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.eval.MaskedEvaluator;

/** The distributed path trains the same model as a single JVM, and every worker sees the global N. */
class SparkTrainerTest {
    private static final long SEED = 11;
    /** Not the layers' default (1), so that a weight that does not reach the workers fails the test. */
    private static final double KL_WEIGHT = 0.37;
    private static JavaSparkContext sc;
    private static LabeledImages train;
    private static LabeledImages test;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start(2);
        TrainAndTestSets all = FashionMnist.load();
        train = TrainingSubset.limit(all.train(), 1000, SEED);
        test = TrainingSubset.limit(all.test(), 2000, SEED);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static TrainConfig config(int workers, int batch, int averaging, int epochs) {
        return config(workers, batch, averaging, new ScheduleOptions(epochs, 1e-3, "constant", 0, KL_WEIGHT, 0, 0));
    }

    private static TrainConfig config(int workers, int batch, int averaging, ScheduleOptions schedule) {
        return config(new ClusterOptions(null, workers, batch, averaging), schedule);
    }

    private static TrainConfig config(ClusterOptions cluster, ScheduleOptions schedule) {
        return new TrainConfig(new DataOptions(FashionMnist.uri(), null, 0, DataOptions.IDX, 0, false, 0),
                new ModelOptions("lenet300", "sparsevd", 0.5, 1, null, 3, -10, -8, 8),
                schedule, cluster, URI.create("file:///unused"), SEED);
    }

    private static ClusterOptions allReduce(int workers, int batch) {
        return new ClusterOptions(null, workers, batch, ClusterOptions.ALLREDUCE, 0);
    }

    @Test
    void oneWorkerOnSparkMatchesASingleJvmFitOnTheSameBatches() {
        TrainConfig config = config(1, 50, 5, 2);
        CachedBlocks blocks = new CachedBlocks(sc, train, 1);
        MultiLayerNetwork distributed = Models.build(config, train.count());
        MultiLayerNetwork local = Models.build(config, train.count());
        assertEquals(local.params(), distributed.params(), "same seed, same initial parameters");

        SparkTrainer trainer = new SparkTrainer(sc, config, distributed, blocks, null);
        CollectionAccumulator<DataSet> batches = sc.sc().collectionAccumulator();
        CollectionAccumulator<String> observed = sc.sc().collectionAccumulator();
        trainer.addHook(new ObservingHook(batches, observed));
        SparseVdLayers.setTrainSetSize(local.getLayerWiseConfigurations(), train.count());

        for (int epoch = 0; epoch < 2; epoch++) {
            batches.reset();
            trainer.fitEpoch(epoch);
            List<DataSet> fitted = List.copyOf(batches.value());
            assertEquals(20, fitted.size(), "1000 examples in batches of 50");
            SparseVdLayers.setKlWeight(local.getLayerWiseConfigurations(), trainer.klWeight(epoch));
            for (DataSet batch : fitted) {
                NoiseSeed.apply(SEED, epoch, batch);
                local.fit(batch);
            }
        }
        INDArray a = trainer.network().params();
        INDArray b = local.params();
        double maxDiff = a.sub(b).amaxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-5, "max parameter difference " + maxDiff);
        assertTrue(a.sub(distributed.params()).amaxNumber().doubleValue() == 0, "trainer returns its network");
        assertFalse(a.equalsWithEps(Models.build(config, train.count()).params(), 1e-3),
                "training changed the parameters");
        blocks.close();
    }

    @Test
    void everyMinibatchOfAnEpochIsFittedWithTheKlWeightTheEpochReports() {
        // 0.6 after 1 epoch at 0 and a 2-epoch ramp: 0, 0, 0.3, 0.6 (the ramp starts at 0)
        TrainConfig config = config(2, 100, 5, new ScheduleOptions(4, 1e-3, "constant", 0, 0.6, 1, 2));
        CachedBlocks blocks = new CachedBlocks(sc, train, 2);
        SparkTrainer trainer = new SparkTrainer(sc, config, Models.build(config, train.count()), blocks,
                null);
        CollectionAccumulator<DataSet> batches = sc.sc().collectionAccumulator();
        CollectionAccumulator<String> observed = sc.sc().collectionAccumulator();
        trainer.addHook(new ObservingHook(batches, observed));
        List<Double> reported = new java.util.ArrayList<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            observed.reset();
            EpochFit fit = trainer.fitEpoch(epoch);
            reported.add(fit.klWeight());
            assertFalse(observed.value().isEmpty());
            for (String o : observed.value()) {
                assertTrue(o.endsWith(" klWeight=" + fit.klWeight()), "epoch " + (epoch + 1) + ": " + o);
            }
            if (fit.klWeight() == 0) {
                assertEquals(fit.dataLoss(), fit.objective(), "no KL term: the objective is the data loss");
            } else {
                assertTrue(fit.objective() > fit.dataLoss(), "the KL term is in the objective: " + fit);
            }
        }
        assertEquals(List.of(0.0, 0.0, 0.3, 0.6), reported);
        blocks.close();
    }

    @Test
    void twoWorkersWeighTheKlTermWithTheGlobalTrainingSetSize() {
        TrainConfig config = config(2, 100, 2, 1);
        CachedBlocks blocks = new CachedBlocks(sc, train, 2);
        assertEquals(List.of(500, 500), blocks.counts());
        MultiLayerNetwork net = Models.build(config, 1);
        SparkTrainer trainer = new SparkTrainer(sc, config, net, blocks, null);
        CollectionAccumulator<DataSet> batches = sc.sc().collectionAccumulator();
        CollectionAccumulator<String> observed = sc.sc().collectionAccumulator();
        trainer.addHook(new ObservingHook(batches, observed));

        assertEquals(1000, trainer.trainSetSize());
        List<String> rounds = new ArrayList<>();
        trainer.listen(recordingInto(rounds));
        trainer.fitEpoch(0);
        // 500 examples per worker in batches of 50, averaged every 2: 5 rounds of 2 x 100 examples.
        assertEquals(List.of("epoch 0 of 5 rounds", "round 1: 200", "round 2: 400", "round 3: 600", "round 4: 800",
                "round 5: 1000"), rounds, "the driver hears of every round with the examples fitted so far");

        Set<String> partitions = new TreeSet<>();
        for (String o : observed.value()) {
            assertTrue(o.contains(" N=1000 "), "every worker uses the global N: " + o);
            assertTrue(o.endsWith(" klWeight=" + KL_WEIGHT), "the epoch's KL weight reached the worker: " + o);
            partitions.add(o.substring(0, o.indexOf(' ')));
        }
        assertEquals(Set.of("partition=0", "partition=1"), partitions, "both workers trained");
        assertEquals(20, batches.value().size(), "the global batch of 100 split into 50 per worker");
        for (DataSet batch : batches.value()) {
            assertEquals(50, batch.numExamples());
        }
        blocks.close();
    }

    /**
     * An all-reduce stage takes the single-JVM step: with one worker (the sum of one gradient is that gradient), two
     * epochs of the barrier-stage path ({@link AllReduceStage}: computeGradientAndScore, the updater with the step's
     * minibatch size, params -= update) end with the same parameter and Adam-state bits, and the same epoch losses,
     * as DL4J's own {@code fit} under the averaging path (which, with one worker and F dividing the 20 steps of an
     * epoch, is one JVM's training). Both paths take their worker's network from the JVM's {@link ReplicaPool}: the
     * 8 averaging rounds and 2 stages, all of the same configuration, build at most one.
     */
    @Test
    void anAllReduceStepIsTheStepOfFit() {
        ScheduleOptions schedule = new ScheduleOptions(2, 1e-3, "constant", 0, KL_WEIGHT, 0, 0);
        TrainConfig averaging = config(new ClusterOptions(null, 1, 50, 5), schedule);
        TrainConfig config = config(allReduce(1, 50), schedule);
        long built = ReplicaPool.SHARED.built();
        try (CachedBlocks blocks = new CachedBlocks(sc, train, 1)) {
            SparkTrainer fit = new SparkTrainer(sc, averaging, Models.build(averaging, train.count()), blocks, null);
            SparkTrainer allReduce = new SparkTrainer(sc, config, Models.build(config, train.count()), blocks, null);
            for (int epoch = 0; epoch < 2; epoch++) {
                assertEquals(fit.fitEpoch(epoch), allReduce.fitEpoch(epoch), "epoch " + (epoch + 1));
            }
            MultiLayerNetwork a = fit.network();
            MultiLayerNetwork b = allReduce.network();
            assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), "parameters");
            assertArrayEquals(a.getUpdater().getStateViewArray().toFloatVector(),
                    b.getUpdater().getStateViewArray().toFloatVector(), "Adam state");
            assertEquals(a.getLayerWiseConfigurations().getIterationCount(),
                    b.getLayerWiseConfigurations().getIterationCount(), "iterations");
            assertEquals(40, b.getLayerWiseConfigurations().getIterationCount(), "2 epochs of 20 steps");
        }
        assertTrue(ReplicaPool.SHARED.built() - built <= 1, "networks built: " + (ReplicaPool.SHARED.built() - built));
    }

    /**
     * One all-reducing worker has nothing to sum and exchanges nothing, and in local mode its stages serialize
     * nothing ({@link LocalAllReduce}): two epochs end with the same parameter, Adam-state and iteration bits, and
     * the same epoch losses, as with a broadcast, a hub that sums the one gradient and a serialized result (1,000
     * examples in minibatches of 50: a stage of 20 steps an epoch).
     */
    @Test
    void oneAllReducingWorkerSkipsTheHubWithoutChangingABit() {
        assertSameBitsAsOnACluster(allReduce(1, 50), 40);
    }

    /**
     * Two all-reducing workers in local mode sum their gradients in this JVM's memory, start from the driver's
     * network and hand back the result unserialized ({@link LocalAllReduce}): two epochs end with the same bits and
     * epoch losses as with a broadcast, the driver's TCP hub and a serialized result.
     */
    @Test
    void twoAllReducingWorkersSumInMemoryWithTheHubsBits() {
        assertSameBitsAsOnACluster(allReduce(2, 100), 20);
    }

    /** Two epochs with {@code cluster}, by default and as on a cluster: the same bits, {@code steps} steps each. */
    private static void assertSameBitsAsOnACluster(ClusterOptions cluster, int steps) {
        TrainConfig config = config(cluster, new ScheduleOptions(2, 1e-3, "constant", 0, KL_WEIGHT, 0, 0));
        try (CachedBlocks blocks = new CachedBlocks(sc, train, cluster.workers())) {
            SparkTrainer shortcut = new SparkTrainer(sc, config, Models.build(config, train.count()), blocks, null);
            SparkTrainer hub = new SparkTrainer(sc, config, Models.build(config, train.count()), blocks, null, true);
            for (int epoch = 0; epoch < 2; epoch++) {
                assertEquals(hub.fitEpoch(epoch), shortcut.fitEpoch(epoch), "epoch " + (epoch + 1));
            }
            MultiLayerNetwork a = hub.network();
            MultiLayerNetwork b = shortcut.network();
            assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), "parameters");
            assertArrayEquals(a.getUpdater().getStateViewArray().toFloatVector(),
                    b.getUpdater().getStateViewArray().toFloatVector(), "Adam state");
            assertEquals(steps, a.getLayerWiseConfigurations().getIterationCount(), "2 epochs");
            assertEquals(steps, b.getLayerWiseConfigurations().getIterationCount(), "2 epochs");
        }
    }

    /**
     * Two all-reducing workers: every minibatch share of 50 is fitted once, by both partitions, under the epoch's KL
     * weight and the global N, in rounds of at most {@link AllReduceRounds#STEPS_PER_STAGE} steps; the optimizer
     * takes one step per global minibatch (20 for 1000 examples in batches of 50 × 2, 10 per worker... here 2
     * epochs of 10).
     */
    @Test
    void twoAllReducingWorkersTakeOneStepPerGlobalMinibatch() {
        TrainConfig config = config(allReduce(2, 100), new ScheduleOptions(2, 1e-3, "constant", 0, KL_WEIGHT, 0, 0));
        try (CachedBlocks blocks = new CachedBlocks(sc, train, 2)) {
            SparkTrainer trainer = new SparkTrainer(sc, config, Models.build(config, 1), blocks, null);
            CollectionAccumulator<DataSet> batches = sc.sc().collectionAccumulator();
            CollectionAccumulator<String> observed = sc.sc().collectionAccumulator();
            trainer.addHook(new ObservingHook(batches, observed));
            List<String> rounds = new ArrayList<>();
            trainer.listen(recordingInto(rounds));
            EpochFit first = trainer.fitEpoch(0);
            trainer.fitEpoch(1);
            assertEquals(List.of("epoch 0 of 1 rounds", "round 1: 1000", "epoch 1 of 1 rounds", "round 1: 1000"),
                    rounds);
            assertEquals(20, trainer.network().getLayerWiseConfigurations().getIterationCount(),
                    "one optimizer step per global minibatch of 100");
            assertEquals(40, batches.value().size(), "2 epochs of 10 steps, a share of 50 from each worker");
            Set<String> partitions = new TreeSet<>();
            for (String o : observed.value()) {
                assertTrue(o.contains(" N=1000 "), "every worker uses the global N: " + o);
                assertTrue(o.endsWith(" klWeight=" + KL_WEIGHT), o);
                partitions.add(o.substring(0, o.indexOf(' ')));
            }
            assertEquals(Set.of("partition=0", "partition=1"), partitions, "both workers trained");
            assertTrue(first.objective() > first.dataLoss(), "the KL term is in the objective: " + first);
            assertEquals(Map.of("driver", 2000L), trainer.examplesPerExecutor());
        }
    }

    /**
     * The mean data loss of the last epoch and the test accuracy after training with {@code cluster}.
     */
    private static double[] fit(ClusterOptions cluster, ScheduleOptions schedule) {
        TrainConfig config = config(cluster, schedule);
        try (CachedBlocks blocks = new CachedBlocks(sc, train, cluster.workers());
             CachedBlocks testBlocks = new CachedBlocks(sc, test, 2)) {
            SparkTrainer trainer = new SparkTrainer(sc, config, Models.build(config, train.count()),
                    blocks, null);
            double loss = Double.NaN;
            for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
                loss = trainer.fitEpoch(epoch).dataLoss();
            }
            double accuracy = MaskedEvaluator.evaluate(sc, trainer.network(), testBlocks.rdd(), null, null).accuracy(0);
            return new double[] {loss, accuracy};
        }
    }

    /**
     * The guard of issue 13: two all-reducing workers train the one-worker model. After 3 epochs (30 steps of 100
     * examples, KL weight 0) their mean data loss of the last epoch is within 3% of one worker's and their test
     * accuracy within 3 points. The two runs differ only in which examples form each global minibatch (each worker
     * shuffles its own half) and in the noise drawn for them; measured: one worker 1.155 and 58.95%, two workers
     * 1.161 (+0.5%) and 61.30%. Accuracy after 30 steps moves by points with the data order alone, so the data loss is
     * the tight bound. Parameter averaging fails it (same data, seed and schedule, measured with this test's
     * {@code fit}): 2 workers at F = 5 1.253 (+8.3%), at F = 10 1.296 (+12%), 4 workers at F = 10 1.474 (+27%), and
     * 2 workers with 100 examples each per step (the old per-worker batch) 1.766 (+53%) and 52.25%.
     */
    @Test
    void twoAllReducingWorkersTrainTheOneWorkerModel() {
        ScheduleOptions schedule = new ScheduleOptions(3, 1e-3, "constant", 0, 1.0, 3, 0);
        double[] one = fit(allReduce(1, 100), schedule);
        double[] two = fit(allReduce(2, 100), schedule);
        assertTrue(Math.abs(two[0] / one[0] - 1) <= 0.03,
                "data loss: two workers " + two[0] + ", one worker " + one[0]);
        assertTrue(Math.abs(two[1] - one[1]) <= 0.03,
                "test accuracy: two workers " + two[1] + ", one worker " + one[1]);
    }

    /** A listener that writes what the driver hears of each epoch and round into {@code rounds}. */
    private static RoundListener recordingInto(List<String> rounds) {
        return new RoundListener() {
            @Override
            public void epochStarted(int epoch, int n) {
                rounds.add("epoch " + epoch + " of " + n + " rounds");
            }

            @Override
            public void roundDone(int round, long examples) {
                rounds.add("round " + round + ": " + examples);
            }
        };
    }
}
