package org.sparsevd.core.layers.spec;

import java.io.Serializable;
import org.sparsevd.core.kl.LogAlpha;

/**
 * The Sparse VD settings of one layer, shared by {@link org.sparsevd.core.layers.SparseVdDenseLayer} and {@link org.sparsevd.core.layers.SparseVdConvolutionLayer}:
 * immutable, and the one place they are checked. The constructor, which every {@code with…} method and a layer
 * read from JSON go through, checks every value and the clip range; {@link #checkComplete} checks what a layer needs
 * besides: N given (it is 0 until then).
 *
 * @param klWeight          multiplier of the KL term (the warm-up schedule's current value), finite and ≥ 0
 * @param trainSetSize      N, the number of examples in the WHOLE training set; 0 until it is given, then &gt; 0
 * @param threshold         weights with logα ≥ threshold are zeroed at inference (and counted as pruned); finite
 * @param logSigma2Init     initial value of every log σ² parameter; finite
 * @param logAlphaMin       lower clip bound of logα; finite, &lt; logAlphaMax
 * @param logAlphaMax       upper clip bound of logα; finite
 * @param skipInputGradient the layer returns no input gradient (only correct for a network's first layer)
 */
public record SparseVdSettings(double klWeight, long trainSetSize, double threshold, double logSigma2Init,
                               double logAlphaMin, double logAlphaMax, boolean skipInputGradient)
        implements Serializable {

    /** KL weight 1, N not given, threshold 3, log σ² init −10, clip [−8, 8], input gradient computed. */
    public static final SparseVdSettings DEFAULTS = new SparseVdSettings(1.0, 0, 3.0, -10.0, -8.0, 8.0, false);

    public SparseVdSettings {
        checkKlWeight(klWeight);
        if (trainSetSize != 0) {
            checkTrainSetSize(trainSetSize);
        }
        LogAlpha.checkThreshold(threshold);
        LogAlpha.checkFinite("logSigma2Init", logSigma2Init);
        LogAlpha.checkClip(logAlphaMin, logAlphaMax);
    }

    /** Returns {@code klWeight}, which must be finite and ≥ 0. */
    public static double checkKlWeight(double klWeight) {
        if (!Double.isFinite(klWeight) || klWeight < 0) {
            throw new IllegalArgumentException("klWeight must be finite and >= 0, got " + klWeight);
        }
        return klWeight;
    }

    private static void checkTrainSetSize(long trainSetSize) {
        if (trainSetSize <= 0) {
            throw new IllegalArgumentException("trainSetSize (N, the number of examples in the whole training set) "
                    + "must be > 0, got " + trainSetSize);
        }
    }

    public SparseVdSettings withKlWeight(double w) {
        return new SparseVdSettings(w, trainSetSize, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                skipInputGradient);
    }

    /** @param n N, &gt; 0 */
    public SparseVdSettings withTrainSetSize(long n) {
        checkTrainSetSize(n);
        return new SparseVdSettings(klWeight, n, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                skipInputGradient);
    }

    public SparseVdSettings withThreshold(double t) {
        return new SparseVdSettings(klWeight, trainSetSize, t, logSigma2Init, logAlphaMin, logAlphaMax,
                skipInputGradient);
    }

    public SparseVdSettings withLogSigma2Init(double init) {
        return new SparseVdSettings(klWeight, trainSetSize, threshold, init, logAlphaMin, logAlphaMax,
                skipInputGradient);
    }

    /** The clip range of logα, {@code min < max}. */
    public SparseVdSettings withLogAlphaClip(double min, double max) {
        return new SparseVdSettings(klWeight, trainSetSize, threshold, logSigma2Init, min, max, skipInputGradient);
    }

    public SparseVdSettings withSkipInputGradient(boolean skip) {
        return new SparseVdSettings(klWeight, trainSetSize, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                skip);
    }

    /** Checks that N is given (when a layer is built and when it is instantiated); the message names the layer. */
    public SparseVdSettings checkComplete(String layerName) {
        try {
            return checkComplete();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid SparseVD layer configuration (layer \"" + layerName + "\"): "
                    + e.getMessage(), e);
        }
    }

    /** Checks that N is given. */
    public SparseVdSettings checkComplete() {
        checkTrainSetSize(trainSetSize);
        return this;
    }

    /**
     * The checks of a layer configuration holding these settings, when it is built ({@code instantiating} false)
     * and when DL4J instantiates it: {@link #checkComplete}, then {@code unsupported} (what the layer found in its
     * DL4J configuration that it does not implement, or null) is an {@link IllegalArgumentException} when built
     * and an {@link IllegalStateException} when instantiated (the configuration was changed after it was built).
     */
    public void checkLayer(String layerType, String layerName, String unsupported, boolean instantiating) {
        checkComplete(layerName);
        if (unsupported != null) {
            String message = layerType + " \"" + layerName + "\" does not support " + unsupported;
            throw instantiating ? new IllegalStateException(message) : new IllegalArgumentException(message);
        }
    }

    /** The settings as ", klWeight=…, …", for a layer's toString. */
    public String describe() {
        return ", klWeight=" + klWeight + ", trainSetSize=" + trainSetSize + ", threshold=" + threshold
                + ", logSigma2Init=" + logSigma2Init + ", logAlphaClip=[" + logAlphaMin + ", " + logAlphaMax
                + "], skipInputGradient=" + skipInputGradient;
    }
}
