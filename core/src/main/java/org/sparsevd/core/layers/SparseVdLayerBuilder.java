package org.sparsevd.core.layers;

import java.util.function.UnaryOperator;
import org.sparsevd.core.layers.spec.SparseVdSettings;

/**
 * The Sparse VD part of the builders of {@link SparseVdDenseLayer} and {@link SparseVdConvolutionLayer}: each
 * method replaces the builder's {@link SparseVdSettings}, which check the value; the layer checks that N is given
 * when it is built.
 *
 * @param <B> the builder
 */
public interface SparseVdLayerBuilder<B extends SparseVdLayerBuilder<B>> {

    /** Replaces the builder's settings by {@code change} of them; returns this builder. */
    B updateSparseVd(UnaryOperator<SparseVdSettings> change);

    /** Multiplier of the KL term, finite and ≥ 0 (default 1). */
    default B klWeight(double klWeight) {
        return updateSparseVd(s -> s.withKlWeight(klWeight));
    }

    /** N, the number of examples in the whole training set (required, > 0). */
    default B trainSetSize(long trainSetSize) {
        return updateSparseVd(s -> s.withTrainSetSize(trainSetSize));
    }

    /** logα threshold of the inference mask (default 3). */
    default B threshold(double threshold) {
        return updateSparseVd(s -> s.withThreshold(threshold));
    }

    /** Initial log σ² of every weight (default −10). */
    default B logSigma2Init(double logSigma2Init) {
        return updateSparseVd(s -> s.withLogSigma2Init(logSigma2Init));
    }

    /** Clip range of logα, min &lt; max (default [−8, 8]). */
    default B logAlphaClip(double min, double max) {
        return updateSparseVd(s -> s.withLogAlphaClip(min, max));
    }

    /**
     * Skip the input gradient (null epsilon); only for a network's first layer fed its input directly, without an
     * input preprocessor (default false).
     */
    default B skipInputGradient(boolean skipInputGradient) {
        return updateSparseVd(s -> s.withSkipInputGradient(skipInputGradient));
    }
}
