package org.sparsevd.core.layers.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.simd.DirectFloats;
import org.sparsevd.core.simd.Lanes;
import org.sparsevd.core.simd.NormalNoise;

/**
 * The noise step of the local reparameterization trick (the pre-activations of eq. 7 of Molchanov et al., 2017,
 * sampled as μ + σ∘ε) in one pass over the layer's output, drawing ε in the same pass, where ND4J's formulation
 * draws ε and then makes five passes (add, square root, multiply, add, divide). Per element i, in float:
 * <pre>
 *   ε = {@link NormalNoise}'s element i,   v = σ² + eps,   σ = sqrt(v),   t = ε·σ,   z ← z + t,   out ← t / v   (= ε/σ)
 * </pre>
 * ε by {@link Lanes#normal}, the bits of {@link NormalNoise#at}; then the same operations in the same order as
 * {@link SparseVdLayerImpl#addNoiseByOps}, each of them correctly rounded (IEEE add, multiply, divide and square
 * root, in C2's vector instructions and in the Vector API's Java fallback alike), so the result is that of
 * {@link NormalNoise#fill} followed by the ND4J ops, to the bit, whatever the lane count.
 *
 * <p>Only arrays that {@link DirectFloats#supports} are handled here; callers use the ND4J ops otherwise, and never
 * load this class unless {@link DirectFloats#enabled()}.
 */
public final class NoiseStepKernel {
    private static final VectorSpecies<Float> S = Lanes.FLOATS;
    private static final VectorSpecies<Integer> INTS = S.withLanes(int.class);
    /** 0, 1, …, 15: lane j of a vector of the loop holds element i + j of the draw. */
    private static final int[] LANE_INDEX = java.util.stream.IntStream.range(0, DirectFloats.MAX_LANES).toArray();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private NoiseStepKernel() {
    }

    /**
     * z ← z + sqrt(σ² + eps)∘ε and {@code noise} ← ε/sqrt(σ² + eps), with ε the draw of {@code seed} (element i of
     * the arrays' buffers is {@link NormalNoise#at}(seed, i)); {@code variance} (σ²) is only read, {@code noise} only
     * written.
     *
     * @throws IllegalArgumentException unless the three arrays pass {@link DirectFloats#supports}
     */
    public static void apply(INDArray z, INDArray variance, INDArray noise, float eps, long seed) {
        if (!DirectFloats.supports(z, variance, noise)) {
            throw new IllegalArgumentException("the noise step needs float arrays of one length, order and layout, not "
                    + z.shapeInfoToString() + ", " + variance.shapeInfoToString() + ", " + noise.shapeInfoToString());
        }
        int n = Math.toIntExact(z.length());
        ByteBuffer bz = DirectFloats.buffer(z);
        ByteBuffer bv = DirectFloats.buffer(variance);
        ByteBuffer be = DirectFloats.buffer(noise);
        int k1 = NormalNoise.key1(seed);
        int k2 = NormalNoise.key2(seed);
        int bound = S.loopBound(n);
        noiseStage(bz, bv, be, 0, bound, eps, k1, k2);
        if (bound < n) {
            ByteBuffer[] t = DirectFloats.tail(bound, n - bound, S.length(), bz, bv, be);
            noiseStage(t[0], t[1], t[2], bound, S.length(), eps, k1, k2);
            DirectFloats.untail(t[0], bz, bound, n - bound);
            DirectFloats.untail(t[2], be, bound, n - bound);
        }
    }

    /**
     * The vector loop of {@link #apply} over {@code length} floats (a multiple of the lane count), element j of the
     * buffers being element {@code first} + j of the draw.
     */
    private static void noiseStage(ByteBuffer z, ByteBuffer variance, ByteBuffer noise, int first, int length,
                                   float eps, int k1, int k2) {
        IntVector lanes = IntVector.fromArray(INTS, LANE_INDEX, 0);
        for (int i = 0; i < length; i += S.length()) {
            int off = i * Float.BYTES;
            FloatVector e = Lanes.normal(lanes.add(first + i), k1, k2);
            FloatVector v = FloatVector.fromByteBuffer(S, variance, off, ORDER).add(eps);
            FloatVector t = e.mul(v.sqrt());
            FloatVector.fromByteBuffer(S, z, off, ORDER).add(t).intoByteBuffer(z, off, ORDER);
            t.div(v).intoByteBuffer(noise, off, ORDER);
        }
    }
}
