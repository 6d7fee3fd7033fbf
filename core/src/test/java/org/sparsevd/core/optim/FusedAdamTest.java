package org.sparsevd.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.core.seed.NoiseSeed;

/** {@link FusedAdam} trains exactly as DL4J's {@link Adam}, through the fused kernel, and survives JSON. */
class FusedAdamTest {

    @Test
    void trainsTheSameParametersAsDl4jAdamThroughTheFusedKernel() {
        ArchitectureSettings s = ArchitectureSettings.defaults(1000);
        MultiLayerNetwork fused = new MultiLayerNetwork(Lenet300.sparseVd(s.withLearningRate(0.01)));
        fused.init();
        MultiLayerNetwork dl4j = new MultiLayerNetwork(Lenet300.sparseVd(s.withUpdater(new Adam(0.01))));
        dl4j.init();
        assertEquals(fused.params(), dl4j.params());
        INDArray initial = fused.params().dup();

        Nd4j.getRandom().setSeed(3);
        for (int step = 0; step < 2; step++) {
            DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 50, Lenet300.INPUTS),
                    Nd4j.eye(10).getRows(new java.util.Random(step).ints(50, 0, 10).toArray()).castTo(DataType.FLOAT));
            NoiseSeed.apply(1, 0, batch);
            fused.fit(batch);
            NoiseSeed.apply(1, 0, batch);
            dl4j.fit(batch);
        }
        for (UpdaterBlock b : ((BaseMultiLayerUpdater<?>) fused.getUpdater()).getUpdaterBlocks()) {
            FusedAdamUpdater u = assertInstanceOf(FusedAdamUpdater.class, b.getGradientUpdater());
            assertTrue(u.fused(b.getGradientView()), "the fused kernel handles DL4J's gradient view");
        }
        INDArray diff = fused.params().sub(dl4j.params());
        double maxDiff = diff.amaxNumber().doubleValue();
        // a few float ulps of the largest parameters (log sigma^2 near -10): the updates agree to rounding
        assertTrue(maxDiff <= 1e-6 * fused.params().amaxNumber().doubleValue(),
                "max |param difference| after 2 Adam steps: " + maxDiff);
        assertTrue(fused.params().sub(initial).amaxNumber().doubleValue() > 1e-3,
                "the parameters moved");
        double stateDiff = fused.getUpdater().getStateViewArray().sub(dl4j.getUpdater().getStateViewArray())
                .amaxNumber().doubleValue();
        assertTrue(stateDiff < 1e-6, "max |Adam state difference|: " + stateDiff);
    }

    /** Op level, several iterations on the same arrays: the kernel computes ND4J's Adam op. */
    @Test
    void kernelMatchesNd4jsAdamOp() {
        int n = 10_007; // not a multiple of the vector width: the zero-padded tail runs too
        Adam config = new Adam(0.003, 0.8, 0.99, 1e-6);
        FusedAdam fusedConfig = new FusedAdam(0.003, 0.8, 0.99, 1e-6);
        INDArray state = Nd4j.create(DataType.FLOAT, 1, 2 * n);
        INDArray fusedState = state.dup();
        var reference = config.instantiate(state, true);
        var fused = (FusedAdamUpdater) fusedConfig.instantiate(fusedState, true);
        Nd4j.getRandom().setSeed(11);
        for (int it = 0; it < 5; it++) {
            INDArray g = Nd4j.randn(DataType.FLOAT, 1, n).muli(Math.pow(10, -it)); // down to tiny gradients
            INDArray gFused = g.dup();
            assertTrue(fused.fused(gFused));
            reference.applyUpdater(g, it, 0);
            fused.applyUpdater(gFused, it, 0);
            double diff = g.sub(gFused).amaxNumber().doubleValue();
            assertTrue(diff <= 2e-6 * g.amaxNumber().doubleValue(), "iteration " + it + ": update differs by " + diff);
        }
        assertTrue(state.sub(fusedState).amaxNumber().doubleValue() <= 1e-6 * state.amaxNumber().doubleValue());
    }

    @Test
    void keepsItsClassAndSettingsThroughJsonAndClone() {
        MultiLayerConfiguration conf = Lenet300.sparseVd(ArchitectureSettings.defaults(10).withLearningRate(0.005));
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        for (int i = 0; i < back.getConfs().size(); i++) {
            var layer = (org.deeplearning4j.nn.conf.layers.BaseLayer) back.getConf(i).getLayer();
            if (layer.getIUpdater() == null) {
                continue; // the loss layer has no parameters
            }
            FusedAdam u = assertInstanceOf(FusedAdam.class, layer.getIUpdater());
            assertEquals(0.005, u.getLearningRate(0, 0));
            assertInstanceOf(FusedAdam.class, u.clone());
        }
        SparseVdLayers.list(back).forEach(l -> assertEquals(10, l.getTrainSetSize()));
    }
}
