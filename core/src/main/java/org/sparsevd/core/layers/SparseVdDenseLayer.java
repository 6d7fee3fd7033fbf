package org.sparsevd.core.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
    private static final Logger log = LoggerFactory.getLogger(SparseVdDenseLayer.class);

    public static final double DEFAULT_KL_WEIGHT = 1.0;
    public static final double DEFAULT_THRESHOLD = 3.0;
    public static final double DEFAULT_LOG_SIGMA2_INIT = -10.0;
    public static final double DEFAULT_LOG_ALPHA_MIN = -8.0;
    public static final double DEFAULT_LOG_ALPHA_MAX = 8.0;

    private double klWeight = DEFAULT_KL_WEIGHT;
    private long trainSetSize;
    private double threshold = DEFAULT_THRESHOLD;
    private double logSigma2Init = DEFAULT_LOG_SIGMA2_INIT;
    private double logAlphaMin = DEFAULT_LOG_ALPHA_MIN;
    private double logAlphaMax = DEFAULT_LOG_ALPHA_MAX;
    private boolean skipInputGradient;

    /** For Jackson and Java serialization; use the {@link Builder}. */
    public SparseVdDenseLayer() {
    }

    private SparseVdDenseLayer(Builder b) {
        super(b);
        this.klWeight = b.klWeight;
        this.trainSetSize = b.trainSetSize;
        this.threshold = b.threshold;
        this.logSigma2Init = b.logSigma2Init;
        this.logAlphaMin = b.logAlphaMin;
        this.logAlphaMax = b.logAlphaMax;
        this.skipInputGradient = b.skipInputGradient;
        SparseVdValidation.all(getLayerName(), this);
        if (getWeightNoise() != null) {
            throw new IllegalArgumentException("SparseVdDenseLayer does not support weight noise (DropConnect etc.); "
                    + "it has its own multiplicative Gaussian noise");
        }
        initializeConstraints(b);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("SparseVdDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        SparseVdValidation.all(getLayerName(), this);
        if (getWeightNoise() != null) {
            throw new IllegalStateException("SparseVdDenseLayer \"" + getLayerName() + "\" does not support weight "
                    + "noise (got " + getWeightNoise() + "); it has its own multiplicative Gaussian noise");
        }
        if (skipInputGradient && layerIndex != 0) {
            log.warn("SparseVdDenseLayer \"{}\" (index {}) has skipInputGradient=true: it returns no input gradient, "
                    + "which is only correct for a network's first layer", getLayerName(), layerIndex);
        }
        SparseVdDenseLayerImpl ret = new SparseVdDenseLayerImpl(conf, networkDataType);
        ret.setListeners(trainingListeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    @Override
    public ParamInitializer initializer() {
        return SparseVdParamInitializer.getInstance();
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        if (SparseVdParamInitializer.LOG_SIGMA2_KEY.equals(paramName)) {
            return Collections.emptyList();
        }
        return super.getRegularizationByParam(paramName);
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterStateSize = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        long nW = getNIn() * getNOut();
        // Inference: logα and the masked weights (2 weight-sized arrays), nothing per example beyond the output.
        long fixedInference = 2 * nW;
        // Training, fixed: exp(logσ²) cached for backprop + 5 weight-sized temporaries of the KL gradient.
        long fixedTrain = 6 * nW;
        // Training, per example: cached x∘x (nIn); ε/σ, pre-activation, variance, std (4·nOut);
        // input gradient temporary (nIn); input copy for dropout if any.
        long variableTrain = 2 * getNIn() + 4 * getNOut();
        if (getIDropout() != null) {
            variableTrain += inputType.arrayElementsPerExample();
        }
        return new LayerMemoryReport.Builder(layerName, SparseVdDenseLayer.class, inputType, outputType)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(fixedInference, 0, fixedTrain, variableTrain)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    // ---- SparseVdLayer: plain bean properties (setters check single values; the clip pair is checked when the
    // ---- layer is built or instantiated, since Jackson sets min and max one at a time)

    @Override
    public double getKlWeight() {
        return klWeight;
    }

    @Override
    public void setKlWeight(double klWeight) {
        this.klWeight = SparseVdValidation.klWeight(klWeight);
    }

    @Override
    public long getTrainSetSize() {
        return trainSetSize;
    }

    @Override
    public void setTrainSetSize(long trainSetSize) {
        this.trainSetSize = SparseVdValidation.trainSetSize(trainSetSize);
    }

    @Override
    public double getThreshold() {
        return threshold;
    }

    @Override
    public void setThreshold(double threshold) {
        this.threshold = SparseVdValidation.threshold(threshold);
    }

    @Override
    public double getLogSigma2Init() {
        return logSigma2Init;
    }

    @Override
    public void setLogSigma2Init(double logSigma2Init) {
        this.logSigma2Init = SparseVdValidation.logSigma2Init(logSigma2Init);
    }

    @Override
    public double getLogAlphaMin() {
        return logAlphaMin;
    }

    @Override
    public void setLogAlphaMin(double logAlphaMin) {
        this.logAlphaMin = SparseVdValidation.finite("logAlphaMin", logAlphaMin);
    }

    @Override
    public double getLogAlphaMax() {
        return logAlphaMax;
    }

    @Override
    public void setLogAlphaMax(double logAlphaMax) {
        this.logAlphaMax = SparseVdValidation.finite("logAlphaMax", logAlphaMax);
    }

    @Override
    public boolean isSkipInputGradient() {
        return skipInputGradient;
    }

    @Override
    public void setSkipInputGradient(boolean skipInputGradient) {
        this.skipInputGradient = skipInputGradient;
    }

    @Override
    public SparseVdDenseLayer clone() {
        return (SparseVdDenseLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof SparseVdDenseLayer)) {
            return false;
        }
        SparseVdDenseLayer other = (SparseVdDenseLayer) o;
        if (!other.canEqual(this) || !super.equals(o)) {
            return false;
        }
        return SparseVdValidation.sameSettings(this, other);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof SparseVdDenseLayer;
    }

    @Override
    public int hashCode() {
        return SparseVdValidation.settingsHash(super.hashCode(), this);
    }

    @Override
    public String toString() {
        return "SparseVdDenseLayer(" + super.toString() + SparseVdValidation.describe(this) + ")";
    }

    /** Builder, as DL4J's DenseLayer.Builder plus the SparseVD settings. Every setter checks its argument. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {

        private double klWeight = DEFAULT_KL_WEIGHT;
        private long trainSetSize;
        private double threshold = DEFAULT_THRESHOLD;
        private double logSigma2Init = DEFAULT_LOG_SIGMA2_INIT;
        private double logAlphaMin = DEFAULT_LOG_ALPHA_MIN;
        private double logAlphaMax = DEFAULT_LOG_ALPHA_MAX;
        private boolean skipInputGradient;

        /** Multiplier of the KL term, finite and ≥ 0 (default 1). */
        public Builder klWeight(double klWeight) {
            this.klWeight = SparseVdValidation.klWeight(klWeight);
            return this;
        }

        /** N, the number of examples in the whole training set (required, > 0). */
        public Builder trainSetSize(long trainSetSize) {
            this.trainSetSize = SparseVdValidation.trainSetSize(trainSetSize);
            return this;
        }

        /** logα threshold of the inference mask (default 3). */
        public Builder threshold(double threshold) {
            this.threshold = SparseVdValidation.threshold(threshold);
            return this;
        }

        /** Initial log σ² of every weight (default −10). */
        public Builder logSigma2Init(double logSigma2Init) {
            this.logSigma2Init = SparseVdValidation.logSigma2Init(logSigma2Init);
            return this;
        }

        /** Clip range of logα, min &lt; max (default [−8, 8]). */
        public Builder logAlphaClip(double min, double max) {
            SparseVdValidation.logAlphaClip(min, max);
            this.logAlphaMin = min;
            this.logAlphaMax = max;
            return this;
        }

        /** Skip computing the input gradient; only for a network's first layer (default false). */
        public Builder skipInputGradient(boolean skipInputGradient) {
            this.skipInputGradient = skipInputGradient;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SparseVdDenseLayer build() {
            if (trainSetSize <= 0) {
                throw new IllegalArgumentException("SparseVdDenseLayer" + (layerName == null ? "" : " \"" + layerName + "\"")
                        + ": trainSetSize (N, the number of examples in the whole training set) is required and must "
                        + "be > 0, got " + trainSetSize);
            }
            return new SparseVdDenseLayer(this);
        }
    }
}
