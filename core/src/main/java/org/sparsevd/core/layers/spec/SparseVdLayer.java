package org.sparsevd.core.layers.spec;

import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonUnwrapped;

/**
 * A Sparse Variational Dropout layer configuration (dense or convolutional), holding its {@link SparseVdSettings}.
 *
 * <p>Implementations are DL4J layer configurations, serialized to JSON by Jackson through their bean properties.
 * The settings are written as the flat properties of the getters below (klWeight, trainSetSize, …), sorted among
 * DL4J's as they always were, and read back all at once into a {@link SparseVdSettings} ({@link JsonUnwrapped} on
 * {@link #setSparseVd}), so {@code model.zip} files and checkpoints of earlier versions load and the settings are
 * checked as a whole. Add no other getter here: it would be written to JSON.
 *
 * <p>A layer implementing this interface must name its parameters as {@link SparseVdParamInitializer} does:
 * {@value SparseVdParamInitializer#WEIGHT_KEY} (θ), {@value SparseVdParamInitializer#LOG_SIGMA2_KEY} (log σ²),
 * {@value SparseVdParamInitializer#BIAS_KEY} — the sparsity report and the helpers in {@link org.sparsevd.core.layers.SparseVdLayers}
 * rely on it.
 *
 * <p>The layer's KL term is {@code klWeight / trainSetSize · Σ KL(logα)} per example, added to DL4J's score; the
 * implementation reads klWeight and trainSetSize from its configuration at every step, so changing them
 * (e.g. with {@link org.sparsevd.core.layers.SparseVdLayers#setKlWeight}) changes training from the next minibatch on.
 */
public interface SparseVdLayer {

    /** The layer's Sparse VD settings (written to JSON as the flat properties of the getters below). */
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
    SparseVdSettings getSparseVd();

    /** Replaces the layer's Sparse VD settings; Jackson reads them from the layer's flat JSON properties. */
    @JsonUnwrapped
    void setSparseVd(SparseVdSettings settings);

    /** The shape of W (and log σ²). */
    long[] weightShape();

    /** The order ('c' or 'f') of W and log σ² in the parameter view. */
    char weightOrder();

    /** The fan-in and fan-out DL4J's weight initialization uses for W. */
    double[] weightFans();

    // The settings' values, one getter each (see SparseVdSettings for what they mean): also the layer's JSON.

    default double getKlWeight() { return getSparseVd().klWeight(); }

    default long getTrainSetSize() { return getSparseVd().trainSetSize(); }

    default double getThreshold() { return getSparseVd().threshold(); }

    default double getLogSigma2Init() { return getSparseVd().logSigma2Init(); }

    default double getLogAlphaMin() { return getSparseVd().logAlphaMin(); }

    default double getLogAlphaMax() { return getSparseVd().logAlphaMax(); }

    default boolean isSkipInputGradient() { return getSparseVd().skipInputGradient(); }
}
