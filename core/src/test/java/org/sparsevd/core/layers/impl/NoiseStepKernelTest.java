package org.sparsevd.core.layers.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.IntBuffer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.simd.DirectFloats;
import org.sparsevd.core.simd.NormalNoise;

/**
 * The fused noise step of the local reparameterization trick gives, bit for bit, what the layer's other path gives
 * ({@link NormalNoise}'s draw one element at a time, then the ND4J ops): the new pre-activation z and ε/σ, on the dense layer's [minibatch, nOut] 'f' arrays and the convolution's
 * [minibatch, channels, height, width] 'c' arrays, at lengths with and without a tail of fewer floats than a vector.
 */
class NoiseStepKernelTest {

    @Test
    void matchesTheScalarDrawAndTheNd4jOpsBitForBit() {
        assertTrue(DirectFloats.enabled(), "surefire starts the test JVM with --add-modules jdk.incubator.vector");
        check('f', 1, 1);
        check('f', 7, 3);          // 21 floats: one vector of 16 (or two of 8) and a tail
        check('f', 50, 300);
        check('f', 100, 10);
        check('c', 3, 20, 24, 24);
        check('c', 2, 5, 3, 3);    // 90 floats: a tail on either lane count
    }

    @Test
    void refusesArraysItCannotAddressInStep() {
        INDArray z = Nd4j.rand(DataType.FLOAT, 'f', 4, 5);
        assertThrows(IllegalArgumentException.class,
                () -> NoiseStepKernel.apply(z, Nd4j.rand(DataType.FLOAT, 'c', 4, 5), z.dup('f'), 1e-8f, 1L));
        assertThrows(IllegalArgumentException.class,
                () -> NoiseStepKernel.apply(z, z.dup('f'), Nd4j.rand(DataType.FLOAT, 'f', 4, 6), 1e-8f, 1L));
        assertThrows(IllegalArgumentException.class,
                () -> NoiseStepKernel.apply(z, z.castTo(DataType.DOUBLE), z.dup('f'), 1e-8f, 1L));
    }

    /**
     * μ of both signs, σ² over 24 orders of magnitude with exact zeros (an input of zeros gives σ² = 0, so σ is
     * sqrt(1e-8)): the fused step against {@link NormalNoise#fill} and {@link SparseVdLayerImpl#addNoiseByOps} on
     * copies, with the same seed.
     */
    private static void check(char order, long... shape) {
        Nd4j.getRandom().setSeed(shape.length * 1000L + shape[shape.length - 1]);
        INDArray mu = Nd4j.randn(DataType.FLOAT, shape).muli(3).dup(order);
        INDArray variance = Nd4j.rand(DataType.FLOAT, shape).muli(24).subi(20);
        variance = org.nd4j.linalg.ops.transforms.Transforms.pow(Nd4j.valueArrayOf(shape, 10f, DataType.FLOAT),
                variance, false).dup(order);
        variance.putScalar(0, 0f);
        long seed = Nd4j.getRandom().nextLong();

        INDArray zOps = mu.dup(order);
        INDArray noiseOps = Nd4j.createUninitialized(DataType.FLOAT, shape, order);
        NormalNoise.fill(noiseOps, seed);
        SparseVdLayerImpl.addNoiseByOps(zOps, variance.dup(order), noiseOps, Nd4j.createUninitialized(
                DataType.FLOAT, shape, order));

        INDArray z = mu.dup(order);
        INDArray noise = Nd4j.createUninitialized(DataType.FLOAT, shape, order);
        INDArray varianceIn = variance.dup(order);
        NoiseStepKernel.apply(z, varianceIn, noise, (float) SparseVdLayerImpl.VARIANCE_EPS, seed);

        String what = order + java.util.Arrays.toString(shape);
        assertArrayEquals(bits(zOps), bits(z), "z = μ + σ∘ε, " + what);
        assertArrayEquals(bits(noiseOps), bits(noise), "ε/σ, " + what);
        assertArrayEquals(bits(variance), bits(varianceIn), "σ² is only read, " + what);
    }

    private static int[] bits(INDArray a) {
        IntBuffer b = DirectFloats.floatBits(a);
        int[] out = new int[b.limit()];
        b.get(0, out);
        return out;
    }
}
