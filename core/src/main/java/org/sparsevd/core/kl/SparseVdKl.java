package org.sparsevd.core.kl;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseDivision;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.simd.DirectFloats;

import static org.sparsevd.core.kl.KlApproximation.K1;
import static org.sparsevd.core.kl.KlApproximation.K2;
import static org.sparsevd.core.kl.KlApproximation.K3;

/**
 * The KL term of a SparseVD layer's parameters: its value and its gradient with respect to W and logσ², for
 * logα = clip(logσ² − log(W² + 1e-8), min, max) and the approximation of {@link KlApproximation} (eq. 14 of
 * Molchanov et al., 2017). Shape-agnostic: works for dense and convolutional parameters alike.
 *
 * <p>The training path ({@link #addGradient}) is written for speed: it works on α = exp(logσ²)/(W² + 1e-8) from
 * the exp(logσ²) the forward pass already computed. Float parameters go through {@link FusedKlKernel}, one SIMD
 * pass, when {@link DirectFloats#enabled()} and the clip range is one it handles; otherwise, and for other types,
 * a sequence of ND4J element-wise ops in workspace-allocated temporaries computes the same.
 */
public final class SparseVdKl {
    private SparseVdKl() {
    }

    /**
     * The KL term of the minimized objective per example, {@code klWeight · Σ KL / N}: the negative SGVLB of the
     * paper (eq. 3, its KL divergence weighted by {@code klWeight}) divided by N is
     * {@code data loss + klWeight · Σ KL / N}. The layers add this term to DL4J's score, the metrics to the data loss.
     *
     * @param klSum        Σ KL(q‖p) over the weights (of a layer or a whole network), unweighted
     * @param trainSetSize N, the number of examples of the whole training set
     */
    public static double perExample(double klWeight, double klSum, long trainSetSize) {
        return klWeight / trainSetSize * klSum;
    }

    /**
     * Adds {@code coef · dKL/dW} to {@code gradW} and {@code coef · dKL/dlogσ²} to {@code gradLogSigma2}
     * (in place) and returns Σ KL(clip(logα)) over all entries (unweighted). The clip's derivative is zero
     * outside [min, max], as torch.clamp.
     *
     * @param expLogSigma2 exp(logσ²), as the forward pass computed it
     * @param mgr          temporaries are created as {@link ArrayType#BP_WORKING_MEM}
     */
    public static double addGradient(INDArray w, INDArray logSigma2, INDArray expLogSigma2, INDArray gradW,
                                     INDArray gradLogSigma2, double coef, double logAlphaMin, double logAlphaMax,
                                     LayerWorkspaceMgr mgr) {
        LogAlpha.requireSameShape(w, logSigma2);
        if (DirectFloats.enabled() && DirectFloats.supports(w, expLogSigma2, gradW, gradLogSigma2)
                && FusedKlKernel.supportsClip(logAlphaMin, logAlphaMax)) {
            return FusedKlKernel.addGradient(w, expLogSigma2, gradW, gradLogSigma2, coef, logAlphaMin, logAlphaMax);
        }
        return addGradientByOps(w, expLogSigma2, gradW, gradLogSigma2, coef, logAlphaMin, logAlphaMax, mgr);
    }

    /** {@link #addGradient} as a sequence of ND4J element-wise ops (any data type and layout). */
    static double addGradientByOps(INDArray w, INDArray expLogSigma2, INDArray gradW, INDArray gradLogSigma2,
                                   double coef, double logAlphaMin, double logAlphaMax, LayerWorkspaceMgr mgr) {
        OpExecutioner ex = Nd4j.getExecutioner();
        DataType dt = w.dataType();
        long[] shape = w.shape();
        char order = w.ordering();
        INDArray r = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dt, shape, order);
        INDArray alpha = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dt, shape, order);
        INDArray inRange = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dt, shape, order);
        INDArray a = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dt, shape, order);
        INDArray b = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dt, shape, order);
        double alphaMin = Math.exp(logAlphaMin);
        double alphaMax = Math.exp(logAlphaMax);

        ex.exec(new MulOp(w, w, r));                                   // r = W²
        ex.exec(new ScalarAdd(r, LogAlpha.EPS));                       // r = W² + ε
        ex.exec(new DivOp(expLogSigma2, r, alpha));                    // α = σ²/(W² + ε)   (unclipped)
        ex.exec(new DivOp(w, r, r));                                   // r = W/(W² + ε);  dlogα/dW = −2r

        // derivative of the clip: [α > α_min]·[α < α_max]
        ex.exec(new Step(alpha, inRange, alphaMin));
        ex.exec(new ScalarReverseSubtraction(alpha, a, alphaMax));
        ex.exec(new Step(a, a, 0.0));
        ex.exec(new MulOp(inRange, a, inRange));
        ex.exec(new ScalarMax(alpha, alphaMin));                       // α ← clip(α)
        ex.exec(new ScalarMin(alpha, alphaMax));

        ex.exec(new Log(alpha, a));                                    // a = logα
        ex.exec(new ScalarMultiplication(a, K3));
        ex.exec(new ScalarAdd(a, K2));
        ex.exec(new Sigmoid(a, a));                                    // a = s = σ(k2 + k3·logα)
        ex.exec(new ScalarReverseSubtraction(a, b, 1.0));              // b = 1 − s
        double klSum = K1 * asum(b);                                   // Σ k1·(1 − s)
        ex.exec(new MulOp(a, b, a));                                   // a = s·(1 − s)

        ex.exec(new ScalarAdd(alpha, null, b, 1.0));
        ex.exec(new ScalarReverseDivision(b, -0.5 * coef));            // b = −0.5·coef·σ(−logα) = −0.5·coef/(1 + α)
        ex.exec(new ScalarReverseDivision(alpha, 1.0));                // α ← 1/α
        ex.exec(new Log1p(alpha, alpha));                              // softplus(−logα) = log(1 + 1/α) ≥ 0
        klSum += 0.5 * asum(alpha);

        // G = coef · [in range] · (−k1·k3·s(1 − s) − 0.5·σ(−logα)) = coef · dKL/dlogα
        ex.exec(new Axpy(a, b, a, -K1 * K3 * coef));
        ex.exec(new MulOp(a, inRange, a));
        ex.exec(new Axpy(a, gradLogSigma2, gradLogSigma2, 1.0));      // dlogα/dlogσ² = 1
        ex.exec(new MulOp(r, a, r));
        ex.exec(new Axpy(r, gradW, gradW, -2.0));                      // dlogα/dW = −2W/(W² + ε)
        return klSum;
    }

    /** Σ KL(clip(logα)) for the given parameters, in double precision (no gradient). */
    public static double klSum(INDArray w, INDArray logSigma2, double logAlphaMin, double logAlphaMax) {
        INDArray wd = w.castTo(DataType.DOUBLE);
        INDArray ld = logSigma2.castTo(DataType.DOUBLE);
        return KlApproximation.klSum(LogAlpha.compute(wd, ld, logAlphaMin, logAlphaMax));
    }

    /** exp(logσ²) into a new array of the given workspace type. */
    public static INDArray exp(INDArray logSigma2, LayerWorkspaceMgr mgr, ArrayType type) {
        INDArray out = mgr.createUninitialized(type, logSigma2.dataType(), logSigma2.shape(), logSigma2.ordering());
        if (DirectFloats.enabled() && DirectFloats.supports(logSigma2, out)) {
            FusedKlKernel.exp(logSigma2, out);
        } else {
            Nd4j.getExecutioner().exec(new Exp(logSigma2, out));
        }
        return out;
    }

    /** Σ|x| over a contiguous array (BLAS asum: far faster than a reduction op here). */
    static double asum(INDArray x) {
        return Nd4j.getBlasWrapper().asum(x.reshape(x.ordering(), new long[]{x.length()}));
    }
}
