package org.sparsevd.core.kl;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.factory.Nd4j;

/**
 * logα of a SparseVD layer, parameterised as in the paper's code by θ = W and log σ²:
 * <pre>
 *   logα = clip(logσ² − log(W² + 1e-8), min, max)
 * </pre>
 * The clip is torch.clamp's: its derivative is 1 inside [min, max] and 0 outside, so clipped entries get no
 * gradient through logα (see {@link #clipDerivative}).
 *
 * <p>All methods return new arrays of the arguments' data type and leave the arguments untouched. They are
 * shape-agnostic (dense and convolutional parameters alike); W and logσ² must have the same shape.
 */
public final class LogAlpha {

    /** The ε inside log(W² + ε). */
    public static final double EPS = 1e-8;

    private LogAlpha() {
    }

    /** logσ² − log(W² + 1e-8), not clipped. */
    public static INDArray unclipped(INDArray w, INDArray logSigma2) {
        requireSameShape(w, logSigma2);
        INDArray out = w.ulike();
        Nd4j.getExecutioner().exec(new MulOp(w, w, out));
        Nd4j.getExecutioner().exec(new ScalarAdd(out, EPS));
        Nd4j.getExecutioner().exec(new Log(out, out));
        Nd4j.getExecutioner().exec(new ScalarReverseSubtraction(out, out, 0.0)); // −log(W² + ε)
        return out.addi(logSigma2);
    }

    /** clip(logσ² − log(W² + 1e-8), min, max). */
    public static INDArray compute(INDArray w, INDArray logSigma2, double min, double max) {
        checkClip(min, max);
        return clip(unclipped(w, logSigma2), min, max);
    }

    /** Clips in place and returns the argument. */
    static INDArray clip(INDArray logAlpha, double min, double max) {
        Nd4j.getExecutioner().exec(new ScalarMax(logAlpha, min));
        Nd4j.getExecutioner().exec(new ScalarMin(logAlpha, max));
        return logAlpha;
    }

    /**
     * d clip(x)/dx for unclipped logα values x: 1 where min &lt; x &lt; max, 0 elsewhere. (torch.clamp counts the
     * bounds themselves as inside; here they count as clipped — a difference on a set of measure zero, kept so
     * that this and the training path of {@link SparseVdKl} agree exactly.)
     */
    public static INDArray clipDerivative(INDArray unclippedLogAlpha, double min, double max) {
        checkClip(min, max);
        INDArray x = unclippedLogAlpha;
        INDArray above = x.ulike();
        Nd4j.getExecutioner().exec(new Step(x, above, min));                          // [x > min]
        INDArray below = x.ulike();
        Nd4j.getExecutioner().exec(new ScalarReverseSubtraction(x, below, max));     // max − x
        Nd4j.getExecutioner().exec(new Step(below, below, 0.0));                     // [x < max]
        Nd4j.getExecutioner().exec(new MulOp(above, below, above));
        return above;
    }

    /**
     * The keep mask of inference: 1 where logα &lt; threshold, 0 where logα ≥ threshold (exactly those weights are
     * zeroed, including logα == threshold).
     */
    public static INDArray keepMask(INDArray logAlpha, double threshold) {
        checkThreshold(threshold);
        INDArray mask = logAlpha.ulike();
        Nd4j.getExecutioner().exec(new ScalarReverseSubtraction(logAlpha, mask, threshold)); // t − logα
        Nd4j.getExecutioner().exec(new Step(mask, mask, 0.0));                              // [t − logα > 0]
        return mask;
    }

    /** W ∘ keepMask(clip(logα), threshold): the weights used at inference. */
    public static INDArray maskedWeights(INDArray w, INDArray logSigma2, double min, double max, double threshold) {
        INDArray mask = keepMask(compute(w, logSigma2, min, max), threshold);
        Nd4j.getExecutioner().exec(new MulOp(mask, w, mask));
        return mask;
    }

    /** Number of weights kept at inference, i.e. with clip(logα) &lt; threshold. */
    public static long countKept(INDArray w, INDArray logSigma2, double min, double max, double threshold) {
        INDArray mask = keepMask(compute(w, logSigma2, min, max), threshold);
        return Math.round(mask.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().doubleValue());
    }

    /** Fails unless {@code min} and {@code max} are finite with {@code min < max}; returns nothing. */
    public static void checkClip(double min, double max) {
        checkFinite("logAlphaMin", min);
        checkFinite("logAlphaMax", max);
        if (min >= max) {
            throw new IllegalArgumentException("logAlpha clip range must have min < max, got min=" + min + ", max=" + max);
        }
    }

    /** Returns the pruning threshold on logα, which must be finite. */
    public static double checkThreshold(double threshold) {
        return checkFinite("threshold", threshold);
    }

    /** Returns {@code value}, which must be finite; the message names it. */
    public static double checkFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    static void requireSameShape(INDArray w, INDArray logSigma2) {
        if (!w.equalShapes(logSigma2)) {
            throw new IllegalArgumentException("W and logSigma2 must have the same shape, got "
                    + java.util.Arrays.toString(w.shape()) + " and " + java.util.Arrays.toString(logSigma2.shape()));
        }
    }
}
