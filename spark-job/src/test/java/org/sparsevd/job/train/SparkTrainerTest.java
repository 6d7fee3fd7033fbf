package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
        return new TrainConfig(new DataOptions(FashionMnist.uri(), null, 0, DataOptions.IDX, 0, false, 0),
                new ModelOptions("lenet300", "sparsevd", 0.5, 1, null, 3, -10, -8, 8),
                schedule,
                new ClusterOptions(null, workers, batch, averaging),
                URI.create("file:///unused"), SEED);
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
        trainer.listen(new RoundListener() {
            @Override
            public void epochStarted(int epoch, int n) {
                rounds.add("epoch " + epoch + " of " + n + " rounds");
            }

            @Override
            public void roundDone(int round, long examples) {
                rounds.add("round " + round + ": " + examples);
            }
        });
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
     * The mean data loss of the last epoch and the test accuracy after training {@code workers} workers with global
     * minibatch {@code batch}, averaging every 5 steps.
     */
    private static double[] fit(int workers, int batch, ScheduleOptions schedule) {
        TrainConfig config = config(workers, batch, 5, schedule);
        try (CachedBlocks blocks = new CachedBlocks(sc, train, workers);
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
     * Two workers with the global minibatch split between them take the one-worker model's steps: after 3 epochs
     * (30 steps of 100 examples, KL weight 0) their data loss is within 15% of one worker's and their test accuracy
     * within 3 points. Measured: one worker 1.157 and 61.2%, two workers 1.253 and 62.4%. With the old meaning of
     * {@code --batch-size} (100 examples per worker, half the steps; {@code batch} 200 here) two workers reached
     * 1.766 and 52.3%, which fails both bounds.
     */
    @Test
    void twoWorkersTrainTheOneWorkerModel() {
        ScheduleOptions schedule = new ScheduleOptions(3, 1e-3, "constant", 0, 1.0, 3, 0);
        double[] one = fit(1, 100, schedule);
        double[] two = fit(2, 100, schedule);
        assertTrue(Math.abs(two[0] / one[0] - 1) <= 0.15,
                "data loss: two workers " + two[0] + ", one worker " + one[0]);
        assertTrue(Math.abs(two[1] - one[1]) <= 0.03,
                "test accuracy: two workers " + two[1] + ", one worker " + one[1]);
    }
}
