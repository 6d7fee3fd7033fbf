package org.sparsevd.core.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.simd.DirectFloats;
import org.sparsevd.core.simd.Lanes;

/**
 * One Adam step (Kingma and Ba, 2015, Algorithm 1, with the bias corrections folded into the step size as in
 * ND4J's Adam op) as a single SIMD pass over gradient g, first moment m and second moment v, in place:
 * <pre>
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   g ← α_t·m / (sqrt(v) + ε),   α_t = lr·sqrt(1 − β2^(t+1)) / (1 − β1^(t+1))
 * </pre>
 * g then holds the update DL4J subtracts from the parameters. Element-wise only (no reduction) and with the tail
 * run through the same lane operations ({@link DirectFloats#tail}), so every element gets the same bits whatever
 * the lane count or the JIT. Loaded only when {@link DirectFloats#enabled()}.
 */
final class AdamKernel {
    private static final VectorSpecies<Float> S = Lanes.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private AdamKernel() {
    }

    /** The arrays must pass {@link DirectFloats#supports}; {@code iteration} counts from 0. */
    static void apply(INDArray gradient, INDArray m, INDArray v, double learningRate, double beta1, double beta2,
                      double epsilon, int iteration) {
        run(DirectFloats.buffer(gradient), DirectFloats.buffer(m), DirectFloats.buffer(v), null,
                Math.toIntExact(gradient.length()), 1f, constants(learningRate, beta1, beta2, epsilon, iteration));
    }

    /**
     * A training step's update of floats [from, to) of a network's flattened gradient and parameters, whose Adam
     * state m and v belong to an updater block starting at flat index {@code blockStart}: g ← g / minibatch (DL4J's
     * division of the step's summed gradient), the Adam step of {@link #apply}, params ← params − g. Element by
     * element the same bits as DL4J's division, {@link #apply} and {@code params.subi(gradient)} over whole arrays.
     */
    static void step(ByteBuffer gradient, ByteBuffer params, ByteBuffer m, ByteBuffer v, int blockStart, int from,
                     int to, float minibatch, double learningRate, double beta1, double beta2, double epsilon,
                     int iteration) {
        run(slice(gradient, from, to), slice(m, from - blockStart, to - blockStart),
                slice(v, from - blockStart, to - blockStart), slice(params, from, to), to - from, minibatch,
                constants(learningRate, beta1, beta2, epsilon, iteration));
    }

    private static ByteBuffer slice(ByteBuffer b, int from, int to) {
        return b.slice(from * Float.BYTES, (to - from) * Float.BYTES).order(ORDER);
    }

    /** β1, β2, 1 − β1, 1 − β2, α_t, ε as floats. */
    private static float[] constants(double learningRate, double beta1, double beta2, double epsilon, int iteration) {
        double stepSize = learningRate * Math.sqrt(1 - Math.pow(beta2, iteration + 1))
                / (1 - Math.pow(beta1, iteration + 1));
        if (!Double.isFinite(stepSize) || stepSize == 0) {
            stepSize = epsilon; // as ND4J's op
        }
        return new float[] {(float) beta1, (float) beta2, (float) (1 - beta1), (float) (1 - beta2), (float) stepSize,
                (float) epsilon};
    }

    /**
     * The pass over {@code n} floats of the buffers: the vector loop, then the tail through the same lanes. With
     * {@code params} (else null) the gradient is divided by {@code minibatch} first and the update subtracted.
     */
    private static void run(ByteBuffer bg, ByteBuffer bm, ByteBuffer bv, ByteBuffer bp, int n, float minibatch,
                            float[] k) {
        int bound = S.loopBound(n);
        adamStage(bg, bm, bv, bp, bound, minibatch, k);
        if (bound < n) {
            ByteBuffer[] arrays = bp == null ? new ByteBuffer[] {bg, bm, bv} : new ByteBuffer[] {bg, bm, bv, bp};
            ByteBuffer[] t = DirectFloats.tail(bound, n - bound, S.length(), arrays);
            adamStage(t[0], t[1], t[2], bp == null ? null : t[3], S.length(), minibatch, k);
            for (int b = 0; b < t.length; b++) {
                DirectFloats.untail(t[b], arrays[b], bound, n - bound);
            }
        }
    }

    /**
     * The vector loop over {@code length} floats, a multiple of the lane count; k = β1, β2, 1 − β1, 1 − β2, α_t, ε;
     * with {@code bp}, g / minibatch first and params − update last.
     */
    private static void adamStage(ByteBuffer bg, ByteBuffer bm, ByteBuffer bv, ByteBuffer bp, int length,
                                  float minibatch, float[] k) {
        float b1 = k[0];
        float b2 = k[1];
        float c1 = k[2];
        float c2 = k[3];
        float a = k[4];
        float eps = k[5];
        for (int i = 0; i < length; i += S.length()) {
            int off = i * Float.BYTES;
            FloatVector g = FloatVector.fromByteBuffer(S, bg, off, ORDER);
            if (bp != null) {
                g = g.div(minibatch);
            }
            FloatVector mv = FloatVector.fromByteBuffer(S, bm, off, ORDER).mul(b1).add(g.mul(c1));
            FloatVector vv = FloatVector.fromByteBuffer(S, bv, off, ORDER).mul(b2).add(g.mul(g).mul(c2));
            mv.intoByteBuffer(bm, off, ORDER);
            vv.intoByteBuffer(bv, off, ORDER);
            FloatVector update = mv.mul(a).div(vv.sqrt().add(eps));
            update.intoByteBuffer(bg, off, ORDER);
            if (bp != null) {
                FloatVector.fromByteBuffer(S, bp, off, ORDER).sub(update).intoByteBuffer(bp, off, ORDER);
            }
        }
    }
}
