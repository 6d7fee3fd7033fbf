package org.sparsevd.core.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.simd.DirectFloats;

/**
 * One Adam step (Kingma and Ba, 2015, Algorithm 1, with the bias corrections folded into the step size as in
 * ND4J's Adam op) as a single SIMD pass over gradient g, first moment m and second moment v, in place:
 * <pre>
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   g ← α_t·m / (sqrt(v) + ε),   α_t = lr·sqrt(1 − β2^(t+1)) / (1 − β1^(t+1))
 * </pre>
 * g then holds the update DL4J subtracts from the parameters. Loaded only when {@link DirectFloats#ENABLED}.
 */
final class AdamKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private AdamKernel() {
    }

    /** The arrays must pass {@link DirectFloats#supports}; {@code iteration} counts from 0. */
    static void apply(INDArray gradient, INDArray m, INDArray v, double learningRate, double beta1, double beta2,
                      double epsilon, int iteration) {
        int n = Math.toIntExact(gradient.length());
        ByteBuffer bg = DirectFloats.buffer(gradient);
        ByteBuffer bm = DirectFloats.buffer(m);
        ByteBuffer bv = DirectFloats.buffer(v);
        double stepSize = learningRate * Math.sqrt(1 - Math.pow(beta2, iteration + 1))
                / (1 - Math.pow(beta1, iteration + 1));
        if (!Double.isFinite(stepSize) || stepSize == 0) {
            stepSize = epsilon; // as ND4J's op
        }
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float a = (float) stepSize;
        float eps = (float) epsilon;
        int lanes = S.length();
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += lanes) {
            int off = i * Float.BYTES;
            FloatVector g = FloatVector.fromByteBuffer(S, bg, off, ORDER);
            FloatVector mv = FloatVector.fromByteBuffer(S, bm, off, ORDER).mul(b1).add(g.mul(c1));
            FloatVector vv = FloatVector.fromByteBuffer(S, bv, off, ORDER).mul(b2).add(g.mul(g).mul(c2));
            mv.intoByteBuffer(bm, off, ORDER);
            vv.intoByteBuffer(bv, off, ORDER);
            mv.mul(a).div(vv.sqrt().add(eps)).intoByteBuffer(bg, off, ORDER);
        }
        for (; i < n; i++) {
            int off = i * Float.BYTES;
            float g = bg.getFloat(off);
            float mi = b1 * bm.getFloat(off) + c1 * g;
            float vi = b2 * bv.getFloat(off) + c2 * g * g;
            bm.putFloat(off, mi);
            bv.putFloat(off, vi);
            bg.putFloat(off, a * mi / ((float) Math.sqrt(vi) + eps));
        }
    }
}
