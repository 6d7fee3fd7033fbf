package org.sparsevd.core.kl;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The approximation of the KL divergence between the fully factorised Gaussian posterior
 * q(w) = N(θ, αθ²) and the log-uniform prior p(|w|) ∝ 1/|w| of Sparse Variational Dropout.
 *
 * <p>Molchanov, Ashukha, Vetrov, "Variational Dropout Sparsifies Deep Neural Networks", ICML 2017, eq. 14:
 * <pre>
 *   −KL(q‖p) ≈ k1·σ(k2 + k3·logα) − 0.5·log(1 + 1/α) − k1,   k1 = 0.63576, k2 = 1.87320, k3 = 1.48695
 * </pre>
 * The constant −k1 is included, so KL → 0 as α → ∞ and KL ≥ 0 everywhere. All methods here return the
 * <em>positive</em> KL, {@code KL = k1 − k1·σ(k2 + k3·logα) + 0.5·softplus(−logα)}, with
 * {@code softplus(x) = log(1 + exp(x))} evaluated in its numerically stable form.
 *
 * <p>Accuracy (checked in KlApproximationTest against E log|ε| by quadrature and by its exact Poisson–digamma
 * series, the exact constant being −½(γ + ln 2) ≈ −0.63518): the largest error over logα ∈ [−8, 8] is 0.0094, at
 * logα ≈ −3.5 — within the paper's stated 0.01, though not by much.
 *
 * <p>The weight of a parameter does not enter: KL depends on α only. Clipping logα is the caller's business
 * (see {@code org.sparsevd.core.kl.LogAlpha}).
 */
public final class KlApproximation {

    /** k1 of eq. 14. */
    public static final double K1 = 0.63576;
    /** k2 of eq. 14. */
    public static final double K2 = 1.87320;
    /** k3 of eq. 14. */
    public static final double K3 = 1.48695;

    private KlApproximation() {
    }

    /** The positive KL(q‖p) of one weight, per eq. 14, as a function of logα. */
    public static double kl(double logAlpha) {
        return K1 - K1 * sigmoid(K2 + K3 * logAlpha) + 0.5 * softplus(-logAlpha);
    }

    /** dKL/dlogα of {@link #kl(double)}: {@code −k1·k3·s·(1 − s) − 0.5·σ(−logα)}, s = σ(k2 + k3·logα). */
    public static double klDerivative(double logAlpha) {
        double s = sigmoid(K2 + K3 * logAlpha);
        return -K1 * K3 * s * (1.0 - s) - 0.5 * sigmoid(-logAlpha);
    }

    /**
     * Σ KL over all entries of {@code logAlpha}, computed in double precision whatever the array's type.
     * The argument is not modified.
     */
    public static double klSum(INDArray logAlpha) {
        if (logAlpha.isEmpty()) {
            return 0.0;
        }
        INDArray la = logAlpha.castTo(DataType.DOUBLE).dup(); // never modify the caller's array
        // 0.5·softplus(−la), stable: 0.5·(max(−la, 0) + log1p(exp(−|la|)))
        INDArray absLa = Transforms.abs(la, true);
        INDArray tail = Transforms.log(Transforms.exp(absLa.negi(), false).addi(1.0), false); // log1p(exp(−|la|))
        INDArray relu = Transforms.relu(la.neg(), false);
        double softplusSum = relu.sumNumber().doubleValue() + tail.sumNumber().doubleValue();
        // k1·(1 − σ(k2 + k3·la))  =  k1·σ(−k2 − k3·la)
        INDArray s = Transforms.sigmoid(la.muli(-K3).subi(K2), false);
        return K1 * s.sumNumber().doubleValue() + 0.5 * softplusSum;
    }

    /** dKL/dlogα element-wise: a new array of the same shape and data type; the argument is not modified. */
    public static INDArray klDerivative(INDArray logAlpha) {
        DataType type = logAlpha.dataType();
        INDArray la = logAlpha.castTo(DataType.DOUBLE).dup();
        INDArray sigNeg = Transforms.sigmoid(la.neg(), false).muli(-0.5);          // −0.5·σ(−la)
        INDArray s = Transforms.sigmoid(la.muli(K3).addi(K2), false);               // σ(k2 + k3·la)
        INDArray d = s.rsub(1.0).muli(s).muli(-K1 * K3).addi(sigNeg);               // −k1k3·s(1−s) − 0.5σ(−la)
        return type == DataType.DOUBLE ? d : d.castTo(type);
    }

    /** The logistic function, evaluated without overflow. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** log(1 + exp(x)) without overflow or cancellation. */
    static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
