package org.sparsevd.core.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.kl.LogAlpha;

import static org.sparsevd.core.kl.KlApproximation.K1;
import static org.sparsevd.core.kl.KlApproximation.K2;
import static org.sparsevd.core.kl.KlApproximation.K3;

/**
 * The training-path KL value and gradient of {@link SparseVdKl#addGradient} as one pass over the parameters, in
 * SIMD lanes of the JDK's Vector API (incubator module {@code jdk.incubator.vector}, whose exp/log lanes use the
 * JDK's SVML intrinsics). The element-wise formula is the same as there (eq. 14 of Molchanov et al., 2017, with
 * α = exp(logσ²)/(W² + 1e-8) clipped to [exp(min), exp(max)]):
 * <pre>
 *   s = σ(k2 + k3·log α),   KL = k1·(1 − s) + ½·log(1 + 1/α)
 *   G = coef·[α in range]·(−k1·k3·s(1 − s) − ½/(1 + α)),   gLogσ² += G,   gW += −2·G·W/(W² + 1e-8)
 * </pre>
 * One pass reads five arrays and writes two, where the ND4J formulation makes some 25 passes over arrays of the
 * parameters' size; this is most of a Sparse VD layer's extra cost over a plain layer.
 *
 * <p>Only arrays that {@link DirectFloats#supports} are handled here; callers fall back to the ND4J formulation
 * otherwise, and never load this class unless {@link DirectFloats#ENABLED}.
 */
public final class FusedKlKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Lane sums are moved into a double every this many vectors, to keep float rounding out of Σ KL. */
    private static final int FLUSH_EVERY = 256;

    private FusedKlKernel() {
    }

    /** See {@link SparseVdKl#addGradient}; the arrays must pass {@link DirectFloats#supports}. */
    public static double addGradient(INDArray w, INDArray expLogSigma2, INDArray gradW, INDArray gradLogSigma2,
                              double coef, double logAlphaMin, double logAlphaMax) {
        int n = Math.toIntExact(w.length());
        ByteBuffer bw = DirectFloats.buffer(w);
        ByteBuffer be = DirectFloats.buffer(expLogSigma2);
        ByteBuffer bgw = DirectFloats.buffer(gradW);
        ByteBuffer bgl = DirectFloats.buffer(gradLogSigma2);
        float aMin = (float) Math.exp(logAlphaMin);
        float aMax = (float) Math.exp(logAlphaMax);
        float c = (float) coef;
        float k1 = (float) K1;
        float k2 = (float) K2;
        float k3 = (float) K3;
        float eps = (float) LogAlpha.EPS;

        double kl = 0;
        FloatVector acc = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int lanes = S.length();
        int bound = S.loopBound(n);
        int i = 0;
        for (int block = 0; i < bound; i += lanes) {
            int off = i * Float.BYTES;
            FloatVector wv = FloatVector.fromByteBuffer(S, bw, off, ORDER);
            FloatVector ev = FloatVector.fromByteBuffer(S, be, off, ORDER);
            FloatVector r = wv.mul(wv).add(eps);                                   // W² + ε
            FloatVector alpha = ev.div(r);
            VectorMask<Float> inRange = alpha.compare(VectorOperators.GT, aMin)
                    .and(alpha.compare(VectorOperators.LT, aMax));
            alpha = alpha.max(aMin).min(aMax);
            FloatVector logAlpha = alpha.lanewise(VectorOperators.LOG);
            FloatVector s = logAlpha.fma(-k3, -k2).lanewise(VectorOperators.EXP).add(1f);
            s = one.div(s);                                                     // σ(k2 + k3·logα)
            FloatVector oneMinusS = s.neg().add(1f);
            FloatVector softplus = one.div(alpha).lanewise(VectorOperators.LOG1P);  // log(1 + 1/α)
            acc = oneMinusS.mul(k1).add(softplus.mul(0.5f)).add(acc);
            FloatVector g = s.mul(oneMinusS).mul(-k1 * k3)
                    .sub(one.div(alpha.add(1f)).mul(0.5f)).mul(c);
            g = FloatVector.zero(S).blend(g, inRange);
            FloatVector.fromByteBuffer(S, bgl, off, ORDER).add(g).intoByteBuffer(bgl, off, ORDER);
            FloatVector.fromByteBuffer(S, bgw, off, ORDER).add(g.mul(wv).div(r).mul(-2f))
                    .intoByteBuffer(bgw, off, ORDER);
            if (++block == FLUSH_EVERY) {
                kl += acc.reduceLanes(VectorOperators.ADD);
                acc = FloatVector.zero(S);
                block = 0;
            }
        }
        kl += acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            kl += scalar(bw, be, bgw, bgl, i, c, aMin, aMax);
        }
        return kl;
    }

    /** dst ← exp(src) element-wise (the forward pass's exp(logσ²)); the arrays must pass {@link DirectFloats#supports}. */
    public static void exp(INDArray src, INDArray dst) {
        int n = Math.toIntExact(src.length());
        ByteBuffer bs = DirectFloats.buffer(src);
        ByteBuffer bd = DirectFloats.buffer(dst);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            int off = i * Float.BYTES;
            FloatVector.fromByteBuffer(S, bs, off, ORDER).lanewise(VectorOperators.EXP).intoByteBuffer(bd, off, ORDER);
        }
        for (; i < n; i++) {
            bd.putFloat(i * Float.BYTES, (float) Math.exp(bs.getFloat(i * Float.BYTES)));
        }
    }

    /** The same formula for one element (the tail the vector loop leaves). */
    private static double scalar(ByteBuffer bw, ByteBuffer be, ByteBuffer bgw, ByteBuffer bgl, int i, float c,
                                 float aMin, float aMax) {
        int off = i * Float.BYTES;
        double w = bw.getFloat(off);
        double r = w * w + LogAlpha.EPS;
        double alpha = be.getFloat(off) / r;
        boolean inRange = alpha > aMin && alpha < aMax;
        alpha = Math.min(Math.max(alpha, aMin), aMax);
        double s = 1 / (1 + Math.exp(-(K2 + K3 * Math.log(alpha))));
        if (inRange) {
            double g = c * (-K1 * K3 * s * (1 - s) - 0.5 / (1 + alpha));
            bgl.putFloat(off, (float) (bgl.getFloat(off) + g));
            bgw.putFloat(off, (float) (bgw.getFloat(off) - 2 * g * w / r));
        }
        return K1 * (1 - s) + 0.5 * Math.log1p(1 / alpha);
    }
}
