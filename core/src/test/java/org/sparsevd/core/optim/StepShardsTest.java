package org.sparsevd.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.sparsevd.core.arch.AlexNetCifar;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.arch.Lenet5;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.arch.VggLike;
import org.sparsevd.core.kl.FusedKlKernel;
import org.sparsevd.core.layers.impl.SparseVdLayerImpl;
import org.sparsevd.core.seed.NoiseSeed;

/**
 * {@link StepShards}: one shard takes DL4J's {@code fit} step to the bit (KL term, minibatch division, Adam, the
 * subtraction and the score), and replicas that each take one shard and copy the others' parts end where one shard
 * ends.
 */
class StepShardsTest {
    private static final double KL_WEIGHT = 0.7;

    private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerConfiguration lenet300() {
        return Lenet300.sparseVd(ArchitectureSettings.defaults(1000).withKlWeight(KL_WEIGHT).withLearningRate(0.01));
    }

    private static DataSet batch(int step, int examples, long inputs) {
        Nd4j.getRandom().setSeed(100 + step);
        return new DataSet(Nd4j.rand(DataType.FLOAT, examples, inputs),
                Nd4j.eye(10).getRows(new java.util.Random(step).ints(examples, 0, 10).toArray())
                        .castTo(DataType.FLOAT));
    }

    /** computeGradientAndScore of {@code batch} with its noise seeded, the layers leaving the KL term to the caller. */
    private static double dataGradient(MultiLayerNetwork net, DataSet batch) {
        NoiseSeed.apply(1, 0, batch);
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        return net.score();
    }

    private static void endStep(MultiLayerNetwork net) {
        net.getLayerWiseConfigurations().setIterationCount(net.getLayerWiseConfigurations().getIterationCount() + 1);
        net.clearLayersStates();
    }

    @Test
    void oneShardIsDl4jsFitStepToTheBit() {
        ArchitectureSettings s = ArchitectureSettings.defaults(1000).withKlWeight(KL_WEIGHT);
        for (MultiLayerConfiguration conf : List.of(lenet300(), Lenet5.of(s, Variant.SPARSEVD, 0),
                Lenet300.of(s, Variant.PLAIN, 0), Lenet5.of(s, Variant.PLAIN, 0))) {
            MultiLayerNetwork fit = network(conf.clone());
            MultiLayerNetwork sharded = network(conf.clone());
            StepShards shards = new StepShards(sharded, 1);
            shards.klTermByCaller(true);
            for (int step = 0; step < 3; step++) {
                DataSet batch = batch(step, 20, 784);
                NoiseSeed.apply(1, 0, batch);
                fit.fit(batch);
                double dataScore = dataGradient(sharded, batch);
                shards.update(0, 20, step, 0);
                shards.score(dataScore);
                endStep(sharded);
                assertEquals(fit.score(), sharded.score(), "step " + step + " score");
                if (Arrays.stream(sharded.getLayers()).anyMatch(l -> l instanceof SparseVdLayerImpl)) {
                    assertTrue(sharded.score() > dataScore, "the KL term is in the score");
                } else {
                    assertEquals(dataScore, sharded.score(), "no KL term in a plain network's score");
                }
            }
            assertArrayEquals(fit.params().toFloatVector(), sharded.params().toFloatVector(), "parameters");
            assertArrayEquals(fit.getUpdater().getStateViewArray().toFloatVector(),
                    sharded.getUpdater().getStateViewArray().toFloatVector(), "Adam state");
        }
    }

    @Test
    void replicasThatEachTakeAShardEndWhereOneShardEnds() {
        for (int workers : new int[] {2, 3}) {
            MultiLayerNetwork whole = network(lenet300());
            StepShards one = new StepShards(whole, 1);
            one.klTermByCaller(true);
            MultiLayerNetwork[] replicas = new MultiLayerNetwork[workers];
            StepShards[] shards = new StepShards[workers];
            for (int w = 0; w < workers; w++) {
                replicas[w] = network(lenet300());
                shards[w] = new StepShards(replicas[w], workers);
                shards[w].klTermByCaller(true);
            }
            for (int step = 0; step < 3; step++) {
                DataSet batch = batch(step, 30, 784);
                double dataScore = dataGradient(whole, batch);
                one.update(0, 30, step, 0);
                one.score(dataScore);
                endStep(whole);
                for (int w = 0; w < workers; w++) {
                    assertEquals(dataScore, dataGradient(replicas[w], batch));
                    shards[w].update(w, 30, step, 0);
                }
                // each replica copies the others' parameters and KL block sums
                for (int w = 0; w < workers; w++) {
                    for (int other = 0; other < workers; other++) {
                        if (other != w) {
                            shards[w].copyShard(shards[other], other);
                        }
                    }
                }
                for (int w = 0; w < workers; w++) {
                    shards[w].score(dataScore);
                    endStep(replicas[w]);
                    assertEquals(whole.score(), replicas[w].score(), workers + " workers, step " + step);
                    assertArrayEquals(whole.params().toFloatVector(), replicas[w].params().toFloatVector());
                }
            }
            for (int w = 0; w < workers; w++) {
                for (int other = 0; other < workers; other++) {
                    if (other != w) {
                        shards[w].copyShardState(shards[other], other);
                    }
                }
                assertArrayEquals(whole.getUpdater().getStateViewArray().toFloatVector(),
                        replicas[w].getUpdater().getStateViewArray().toFloatVector(), "Adam state, worker " + w);
            }
        }
    }

    @Test
    void eachReplicaSumsItsShardOfTheGradientsInReplicaOrder() {
        int workers = 3;
        MultiLayerNetwork[] replicas = new MultiLayerNetwork[workers];
        StepShards[] shards = new StepShards[workers];
        float[][] gradients = new float[workers][];
        for (int w = 0; w < workers; w++) {
            replicas[w] = network(lenet300());
            shards[w] = new StepShards(replicas[w], workers);
            replicas[w].getGradientsViewArray().assign(Nd4j.rand(DataType.FLOAT, 1, replicas[w].numParams()));
            gradients[w] = replicas[w].getGradientsViewArray().toFloatVector();
        }
        boolean[] counted = {true, false, true};
        for (int w = 0; w < workers; w++) {
            shards[w].sumGradients(shards, counted, w);
        }
        for (int w = 0; w < workers; w++) {
            float[] after = replicas[w].getGradientsViewArray().toFloatVector();
            int[] r = shards[w].ranges(w);
            int in = 0;
            for (int i = 0; i < after.length; i++) {
                boolean mine = in < r.length && i >= r[in];
                if (mine) {
                    assertEquals(gradients[0][i] + gradients[2][i], after[i], "worker " + w + ", element " + i);
                    in += i + 1 == r[in + 1] ? 2 : 0;
                } else {
                    assertEquals(gradients[w][i], after[i], "worker " + w + " changed element " + i);
                }
            }
        }
    }

    @Test
    void shardsCutEveryArrayInWholeKlBlocksAndCoverEveryParameterOnce() {
        MultiLayerNetwork net = network(lenet300());
        StepShards shards = new StepShards(net, 2);
        boolean[] covered = new boolean[(int) net.numParams()];
        for (int s = 0; s < 2; s++) {
            int[] r = shards.ranges(s);
            for (int i = 0; i < r.length; i += 2) {
                for (int j = r[i]; j < r[i + 1]; j++) {
                    assertFalse(covered[j], "parameter " + j + " in two shards");
                    covered[j] = true;
                }
            }
        }
        for (boolean c : covered) {
            assertTrue(c);
        }
        // dense1's W (235,200 weights) is cut at 29 blocks: 118,784 weights to shard 0
        assertEquals(0, shards.ranges(0)[0]);
        assertEquals(29 * FusedKlKernel.BLOCK, shards.ranges(0)[1]);
        assertEquals(29 * FusedKlKernel.BLOCK, shards.ranges(1)[0]);
        int w0 = 0;
        int w1 = 0;
        for (int s = 0; s < 2; s++) {
            int[] r = shards.ranges(s);
            for (int i = 0; i < r.length; i += 2) {
                if (s == 0) {
                    w0 += r[i + 1] - r[i];
                } else {
                    w1 += r[i + 1] - r[i];
                }
            }
        }
        assertTrue(Math.abs(w0 - w1) < 0.05 * net.numParams(), "balanced: " + w0 + " and " + w1);
        assertNotEquals(0, w0);
    }

    /**
     * Every architecture and variant the CLI builds is either split (the Sparse VD and plain networks of FusedAdam) or
     * refused with a reason (batch normalization's running mean and variance are not divided by the minibatch size),
     * and asking never fails.
     */
    @Test
    void everyArchitectureIsSplitOrRefused() {
        ArchitectureSettings s = ArchitectureSettings.defaults(1000);
        for (Variant variant : Variant.values()) {
            for (MultiLayerConfiguration conf : List.of(Lenet300.of(s, variant, 0.2), Lenet5.of(s, variant, 0.2),
                    VggLike.of(s, variant, 0.2, 0.25), AlexNetCifar.of(s, variant, 0.2))) {
                MultiLayerNetwork net = network(conf);
                if (StepShards.supports(net)) {
                    assertEquals(2, new StepShards(net, 2).shards());
                } else {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> new StepShards(net, 2));
                    assertTrue(e.getMessage().contains("cannot be split"), e.getMessage());
                }
            }
        }
    }

    @Test
    void refusesWhatItCannotSplit() {
        MultiLayerNetwork dl4jAdam = network(Lenet300.sparseVd(ArchitectureSettings.defaults(1000)
                .withUpdater(new Adam(0.01))));
        assertFalse(StepShards.supports(dl4jAdam));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepShards(dl4jAdam, 2));
        assertTrue(e.getMessage().contains("FusedAdam"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StepShards(network(lenet300()), 0));
        assertTrue(StepShards.supports(network(lenet300())));
    }
}
