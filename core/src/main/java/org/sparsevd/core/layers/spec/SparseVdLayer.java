package org.sparsevd.core.layers.spec;

import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * A Sparse Variational Dropout layer configuration (dense or convolutional), holding its {@link SparseVdSettings}.
 *
 * <p>Implementations are DL4J layer configurations, serialized to JSON by Jackson through their bean properties.
 * The settings are written as the flat properties of the getter/setter pairs below (klWeight, trainSetSize, …),
 * as they always were, so {@code model.zip} files and checkpoints of earlier versions load; the settings value
 * itself is not a property ({@link JsonIgnore}). Add no other getter here: it would be written to JSON.
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

    /** The layer's Sparse VD settings. */
    @JsonIgnore
    SparseVdSettings getSparseVd();

    /** Replaces the layer's Sparse VD settings. */
    @JsonIgnore
    void setSparseVd(SparseVdSettings settings);

    /** The shape of W (and log σ²). */
    long[] weightShape();

    /** The order ('c' or 'f') of W and log σ² in the parameter view. */
    char weightOrder();

    /** The fan-in and fan-out DL4J's weight initialization uses for W. */
    double[] weightFans();

    /** Multiplier of the KL term (the warm-up schedule's current value); ≥ 0. */
    default double getKlWeight() {
        return getSparseVd().klWeight();
    }

    /** @param klWeight finite, ≥ 0 */
    default void setKlWeight(double klWeight) {
        setSparseVd(getSparseVd().withKlWeight(klWeight));
    }

    /** N, the number of examples in the WHOLE training set (not the minibatch, not one executor's share). */
    default long getTrainSetSize() {
        return getSparseVd().trainSetSize();
    }

    /** @param trainSetSize N, > 0 */
    default void setTrainSetSize(long trainSetSize) {
        setSparseVd(getSparseVd().withTrainSetSize(trainSetSize));
    }

    /** Weights with logα ≥ threshold are zeroed at inference (and counted as pruned). */
    default double getThreshold() {
        return getSparseVd().threshold();
    }

    /** @param threshold finite */
    default void setThreshold(double threshold) {
        setSparseVd(getSparseVd().withThreshold(threshold));
    }

    /** Lower clip bound of logα. */
    default double getLogAlphaMin() {
        return getSparseVd().logAlphaMin();
    }

    /** @param logAlphaMin finite; must be &lt; {@link #getLogAlphaMax()} when the layer is built/instantiated */
    default void setLogAlphaMin(double logAlphaMin) {
        setSparseVd(getSparseVd().withLogAlphaMin(logAlphaMin));
    }

    /** Upper clip bound of logα. */
    default double getLogAlphaMax() {
        return getSparseVd().logAlphaMax();
    }

    /** @param logAlphaMax finite; must be &gt; {@link #getLogAlphaMin()} when the layer is built/instantiated */
    default void setLogAlphaMax(double logAlphaMax) {
        setSparseVd(getSparseVd().withLogAlphaMax(logAlphaMax));
    }

    /** Initial value of every log σ² parameter. */
    default double getLogSigma2Init() {
        return getSparseVd().logSigma2Init();
    }

    /** @param logSigma2Init finite */
    default void setLogSigma2Init(double logSigma2Init) {
        setSparseVd(getSparseVd().withLogSigma2Init(logSigma2Init));
    }

    /**
     * If true the layer does not compute the gradient with respect to its input (it returns null as epsilon).
     * Only correct for a network's first layer (nothing below it needs the gradient) without an input
     * preprocessor.
     */
    default boolean isSkipInputGradient() {
        return getSparseVd().skipInputGradient();
    }

    default void setSkipInputGradient(boolean skipInputGradient) {
        setSparseVd(getSparseVd().withSkipInputGradient(skipInputGradient));
    }
}
