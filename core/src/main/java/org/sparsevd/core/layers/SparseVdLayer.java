package org.sparsevd.core.layers;

/**
 * The settings every Sparse Variational Dropout layer configuration shares (dense and convolutional).
 *
 * <p>Implementations are DL4J layer configurations, serialised to JSON by Jackson through their bean
 * properties: every property here is a plain getter/setter pair backed by a field, and the interface declares
 * no default or derived getters (those would be written to JSON as extra properties).
 *
 * <p>A layer implementing this interface must name its parameters as {@link SparseVdParamInitializer} does:
 * {@value SparseVdParamInitializer#WEIGHT_KEY} (θ), {@value SparseVdParamInitializer#LOG_SIGMA2_KEY} (log σ²),
 * {@value SparseVdParamInitializer#BIAS_KEY} — the sparsity report and the helpers in {@link SparseVdLayers}
 * rely on it.
 *
 * <p>The layer's KL term is {@code klWeight / trainSetSize · Σ KL(logα)} per example, added to DL4J's score; the
 * implementation reads klWeight and trainSetSize from its configuration at every step, so changing them
 * (e.g. with {@link SparseVdLayers#setKlWeight}) changes training from the next minibatch on.
 */
public interface SparseVdLayer {

    /** Multiplier of the KL term (the warm-up schedule's current value); ≥ 0. */
    double getKlWeight();

    /** @param klWeight finite, ≥ 0 */
    void setKlWeight(double klWeight);

    /** N, the number of examples in the WHOLE training set (not the minibatch, not one executor's share). */
    long getTrainSetSize();

    /** @param trainSetSize N, > 0 */
    void setTrainSetSize(long trainSetSize);

    /** Weights with logα ≥ threshold are zeroed at inference (and counted as pruned). */
    double getThreshold();

    /** @param threshold finite */
    void setThreshold(double threshold);

    /** Lower clip bound of logα. */
    double getLogAlphaMin();

    /** @param logAlphaMin finite; must be &lt; {@link #getLogAlphaMax()} when the layer is built/instantiated */
    void setLogAlphaMin(double logAlphaMin);

    /** Upper clip bound of logα. */
    double getLogAlphaMax();

    /** @param logAlphaMax finite; must be &gt; {@link #getLogAlphaMin()} when the layer is built/instantiated */
    void setLogAlphaMax(double logAlphaMax);

    /** Initial value of every log σ² parameter. */
    double getLogSigma2Init();

    /** @param logSigma2Init finite */
    void setLogSigma2Init(double logSigma2Init);

    /**
     * If true the layer does not compute the gradient with respect to its input (it returns null as epsilon).
     * Only correct for a network's first layer (nothing below it needs the gradient) without an input
     * preprocessor.
     */
    boolean isSkipInputGradient();

    void setSkipInputGradient(boolean skipInputGradient);
}
