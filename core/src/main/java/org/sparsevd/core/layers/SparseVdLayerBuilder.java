package org.sparsevd.core.layers;

import org.sparsevd.core.layers.spec.SparseVdSettings;

/**
 * The Sparse VD part of the builders of {@link SparseVdDenseLayer} and {@link SparseVdConvolutionLayer}: each
 * method replaces the builder's {@link SparseVdSettings}, which check the value.
 *
 * @param <B> the builder
 */
public interface SparseVdLayerBuilder<B extends SparseVdLayerBuilder<B>> {

    /** The settings so far. */
    SparseVdSettings sparseVd();

    /** Replaces the settings; returns this builder. */
    B sparseVd(SparseVdSettings settings);

    /** Multiplier of the KL term, finite and ≥ 0 (default 1). */
    default B klWeight(double klWeight) {
        return sparseVd(sparseVd().withKlWeight(klWeight));
    }

    /** N, the number of examples in the whole training set (required, > 0). */
    default B trainSetSize(long trainSetSize) {
        return sparseVd(sparseVd().withTrainSetSize(trainSetSize));
    }

    /** logα threshold of the inference mask (default 3). */
    default B threshold(double threshold) {
        return sparseVd(sparseVd().withThreshold(threshold));
    }

    /** Initial log σ² of every weight (default −10). */
    default B logSigma2Init(double logSigma2Init) {
        return sparseVd(sparseVd().withLogSigma2Init(logSigma2Init));
    }

    /** Clip range of logα, min &lt; max (default [−8, 8]). */
    default B logAlphaClip(double min, double max) {
        return sparseVd(sparseVd().withLogAlphaClip(min, max));
    }

    /**
     * Skip the input gradient (null epsilon); only for a network's first layer fed its input directly, without an
     * input preprocessor (default false).
     */
    default B skipInputGradient(boolean skipInputGradient) {
        return sparseVd(sparseVd().withSkipInputGradient(skipInputGradient));
    }

    /**
     * The settings a layer is built with; N is required.
     *
     * @param layerType the layer's class name, for the message
     * @param layerName its name, or null
     */
    default SparseVdSettings checkedSparseVd(String layerType, String layerName) {
        if (sparseVd().trainSetSize() <= 0) {
            throw new IllegalArgumentException(layerType + (layerName == null ? "" : " \"" + layerName + "\"")
                    + ": trainSetSize (N, the number of examples in the whole training set) is required and must "
                    + "be > 0, got " + sparseVd().trainSetSize());
        }
        return sparseVd();
    }
}
