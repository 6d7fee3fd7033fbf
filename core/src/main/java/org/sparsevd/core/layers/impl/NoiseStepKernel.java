package org.sparsevd.core.layers.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.simd.DirectFloats;
import org.sparsevd.core.simd.Lanes;

/**
 * The noise step of the local reparameterization trick (the pre-activations of eq. 7 of Molchanov et al., 2017,
 * sampled as μ + σ∘ε) in one pass over the layer's output, where ND4J's formulation makes five (add, square root,
 * multiply, add, divide). Per element, in float:
 * <pre>
 *   v = σ² + eps,   σ = sqrt(v),   t = ε·σ,   z ← z + t,   ε ← t / v   (= ε/σ, for backprop)
 * </pre>
 * the same operations in the same order as {@link SparseVdLayerImpl}'s ND4J ops, and each of them correctly rounded
 * (IEEE add, multiply, divide and square root, in C2's vector instructions and in the Vector API's Java fallback
 * alike), so the result is the ND4J path's to the bit, whatever the lane count. The noise ε itself still comes from
 * ND4J's generator.
 *
 * <p>Only arrays that {@link DirectFloats#supports} are handled here; callers use the ND4J ops otherwise, and never
 * load this class unless {@link DirectFloats#enabled()}.
 */
public final class NoiseStepKernel {
    private static final VectorSpecies<Float> S = Lanes.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private NoiseStepKernel() {
    }

    /**
     * z ← z + sqrt(σ² + eps)∘ε and ε ← ε/sqrt(σ² + eps), in place; {@code variance} (σ²) is only read.
     *
     * @throws IllegalArgumentException unless the three arrays pass {@link DirectFloats#supports}
     */
    public static void apply(INDArray z, INDArray variance, INDArray noise, float eps) {
        if (!DirectFloats.supports(z, variance, noise)) {
            throw new IllegalArgumentException("the noise step needs float arrays of one length, order and layout, not "
                    + z.shapeInfoToString() + ", " + variance.shapeInfoToString() + ", " + noise.shapeInfoToString());
        }
        int n = Math.toIntExact(z.length());
        ByteBuffer bz = DirectFloats.buffer(z);
        ByteBuffer bv = DirectFloats.buffer(variance);
        ByteBuffer be = DirectFloats.buffer(noise);
        int bound = S.loopBound(n);
        noiseStage(bz, bv, be, bound, eps);
        if (bound < n) {
            ByteBuffer[] t = DirectFloats.tail(bound, n - bound, S.length(), bz, bv, be);
            noiseStage(t[0], t[1], t[2], S.length(), eps);
            DirectFloats.untail(t[0], bz, bound, n - bound);
            DirectFloats.untail(t[2], be, bound, n - bound);
        }
    }

    /** The vector loop of {@link #apply} over {@code length} floats, a multiple of the lane count. */
    private static void noiseStage(ByteBuffer z, ByteBuffer variance, ByteBuffer noise, int length, float eps) {
        for (int i = 0; i < length; i += S.length()) {
            int off = i * Float.BYTES;
            FloatVector v = FloatVector.fromByteBuffer(S, variance, off, ORDER).add(eps);
            FloatVector t = FloatVector.fromByteBuffer(S, noise, off, ORDER).mul(v.sqrt());
            FloatVector.fromByteBuffer(S, z, off, ORDER).add(t).intoByteBuffer(z, off, ORDER);
            t.div(v).intoByteBuffer(noise, off, ORDER);
        }
    }
}
