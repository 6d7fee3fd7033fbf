package org.sparsevd.core.layers;

import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.spec.SparseVdSettings;
import org.sparsevd.core.layers.spec.SparseVdParamInitializer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;
import org.sparsevd.core.layers.impl.SparseVdDenseLayerImpl;

/**
 * Configuration of a fully connected layer with Sparse Variational Dropout (Molchanov, Ashukha, Vetrov, ICML 2017):
 * a Gaussian posterior N(θ, αθ²) per weight, trained with the local reparameterization trick and the KL term
 * against the log-uniform prior; at inference weights with logα ≥ threshold are zeroed.
 *
 * <p>Parameters (see {@link SparseVdParamInitializer}): {@code W} [nIn, nOut] (θ, with the layer's weight init),
 * {@code logSigma2} [nIn, nOut] (filled with {@code logSigma2Init}), {@code b} [1, nOut]. L1/L2/weight decay apply
 * to W (regularization) and b (bias regularization) only, never to logSigma2.
 *
 * <p>Build it like DL4J's DenseLayer, plus the SparseVD settings:
 * <pre>
 *   new SparseVdDenseLayer.Builder().nIn(784).nOut(300).activation(Activation.RELU)
 *       .trainSetSize(60_000)          // required: N of the whole training set
 *       .klWeight(1.0)                 // default 1
 *       .threshold(3.0)                // default 3
 *       .logSigma2Init(-10)            // default −10
 *       .logAlphaClip(-8, 8)           // default [−8, 8]
 *       .skipInputGradient(true)       // default false; only for a network's first layer
 *       .build();
 * </pre>
 * Every field has a getter and a setter so that Jackson (JSON, e.g. for Spark executors) and Java serialization
 * carry it.
 */
public class SparseVdDenseLayer extends FeedForwardLayer implements SparseVdLayer {

    private static final long serialVersionUID = 1L;

    private SparseVdSettings sparseVd = SparseVdSettings.DEFAULTS;

    /** For Jackson and Java serialization; use the {@link Builder}. */
    public SparseVdDenseLayer() {
    }

    private SparseVdDenseLayer(Builder b) {
        super(b);
        this.sparseVd = b.sparseVd;
        sparseVd.checkLayer("SparseVdDenseLayer", getLayerName(), unsupported(), false);
        initializeConstraints(b);
    }

    /** What of the DL4J configuration the layer does not implement, or null. */
    private String unsupported() {
        return getWeightNoise() == null ? null
                : "weight noise " + getWeightNoise() + " (it has its own multiplicative Gaussian noise)";
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return SparseVdOverrides.instantiate(this, unsupported(), SparseVdDenseLayerImpl::new, conf, networkDataType,
                trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return SparseVdOverrides.regularization(paramName, super::getRegularizationByParam);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        // Training, per example: cached x∘x (nIn); ε/σ, pre-activation, variance, std (4·nOut);
        // input gradient temporary (nIn).
        return SparseVdOverrides.memoryReport(this, inputType, getOutputType(-1, inputType), 0,
                2 * getNIn() + 4 * getNOut());
    }

    // ---- SparseVdLayer: its parameters, then its settings

    @Override
    public ParamInitializer initializer() {
        return SparseVdParamInitializer.getInstance();
    }

    @Override
    public long[] weightShape() {
        return new long[] {getNIn(), getNOut()};
    }

    @Override
    public char weightOrder() {
        return 'f';
    }

    @Override
    public double[] weightFans() {
        return new double[] {getNIn(), getNOut()};
    }

    @Override
    public SparseVdSettings getSparseVd() {
        return sparseVd;
    }

    @Override
    public void setSparseVd(SparseVdSettings settings) {
        this.sparseVd = java.util.Objects.requireNonNull(settings, "settings");
    }

    // ---- equality over DL4J's fields and the settings

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SparseVdDenseLayer other && other.canEqual(this) && super.equals(o)
                && sparseVd.equals(other.sparseVd);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof SparseVdDenseLayer;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + sparseVd.hashCode();
    }

    @Override
    public String toString() {
        return SparseVdOverrides.describe(this, super.toString());
    }

    /** Builder, as DL4J's DenseLayer.Builder plus the SparseVD settings. Every setter checks its argument. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> implements SparseVdLayerBuilder<Builder> {

        private SparseVdSettings sparseVd = SparseVdSettings.DEFAULTS;

        @Override
        @SuppressWarnings("unchecked")
        public SparseVdDenseLayer build() {
            return new SparseVdDenseLayer(this);
        }

        @Override
        public Builder updateSparseVd(UnaryOperator<SparseVdSettings> change) {
            sparseVd = java.util.Objects.requireNonNull(change.apply(sparseVd), "settings");
            return this;
        }
    }
}
