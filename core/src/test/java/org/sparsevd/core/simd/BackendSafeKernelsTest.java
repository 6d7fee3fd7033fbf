package org.sparsevd.core.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.seed.NoiseSeed;

/**
 * The fused kernels run only on ND4J's CPU backend; anywhere else (CUDA: {@code addressPointer()} is a host copy)
 * the ND4J-op path runs, and it trains the same network to float rounding.
 */
class BackendSafeKernelsTest {

    @Test
    void kernelsRunOnlyOnTheCpuBackendWithTheVectorModule() {
        assertEquals(DirectFloats.CPU_BACKEND, Nd4j.getBackend().getClass().getName(), "tests run on the CPU backend");
        assertTrue(DirectFloats.usable(true, DirectFloats.CPU_BACKEND));
        assertFalse(DirectFloats.usable(true, "org.nd4j.linalg.jcublas.JCublasBackend"));
        assertFalse(DirectFloats.usable(false, DirectFloats.CPU_BACKEND));
    }

    @Test
    void kernelsOnAndOffTrainTheSameParametersToFloatRounding() {
        INDArray on = train();
        String before = System.getProperty(DirectFloats.PROPERTY);
        System.setProperty(DirectFloats.PROPERTY, "false");
        INDArray off;
        try {
            assertFalse(DirectFloats.enabled());
            off = train();
        } finally {
            if (before == null) {
                System.clearProperty(DirectFloats.PROPERTY);
            } else {
                System.setProperty(DirectFloats.PROPERTY, before);
            }
        }
        assertTrue(DirectFloats.enabled());
        double scale = on.amaxNumber().doubleValue();
        double diff = on.sub(off).amaxNumber().doubleValue();
        assertTrue(diff > 0, "the two paths round differently, so both ran");
        assertTrue(diff <= 1e-5 * scale, "max |parameter difference| " + diff + " (max |parameter| " + scale + ")");
    }

    /** Sparse VD LeNet-300-100 after 3 Adam steps (FusedAdam, the KL term on) from a fixed seed. */
    private static INDArray train() {
        MultiLayerNetwork net = new MultiLayerNetwork(Lenet300.of(ArchitectureSettings.defaults(1000)
                .withLearningRate(0.01), Variant.SPARSEVD, 0));
        net.init();
        INDArray initial = net.params().dup();
        Nd4j.getRandom().setSeed(9);
        for (int step = 0; step < 3; step++) {
            DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 32, Lenet300.INPUTS),
                    Nd4j.eye(Lenet300.OUTPUTS).getRows(new java.util.Random(step).ints(32, 0, 10).toArray())
                            .castTo(DataType.FLOAT));
            NoiseSeed.apply(1, 0, batch);
            net.fit(batch);
        }
        assertTrue(net.params().sub(initial).amaxNumber().doubleValue() > 1e-3, "the parameters moved");
        return net.params().dup();
    }
}
