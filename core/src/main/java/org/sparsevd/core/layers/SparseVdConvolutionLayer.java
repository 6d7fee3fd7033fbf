package org.sparsevd.core.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.sparsevd.core.layers.impl.SparseVdConvolutionLayerImpl;

/**
 * Configuration of a 2-D convolution layer with Sparse Variational Dropout (Molchanov, Ashukha, Vetrov, ICML 2017):
 * the convolutional counterpart of {@link SparseVdDenseLayer}, with one Gaussian posterior N(θ, αθ²) per kernel
 * weight, trained with the local reparameterization trick applied to the convolution (σ² = conv(x², σ_W²), sec. 4.2
 * of the paper) and masked at inference (logα ≥ threshold ⇒ weight 0).
 *
 * <p>Kernel size, stride, padding, dilation and {@link ConvolutionMode} are DL4J's {@link ConvolutionLayer}'s (this
 * class extends its configuration, so input types, preprocessors and output shapes work as for it). NCHW data only,
 * with a bias, and modes Truncate, Strict or Same. Parameters (see {@link SparseVdParamInitializer}): {@code W} and
 * {@code logSigma2} [nOut, nIn, kH, kW], {@code b} [1, nOut].
 * <pre>
 *   new SparseVdConvolutionLayer.Builder(5, 5).nOut(20).stride(1, 1).convolutionMode(ConvolutionMode.Truncate)
 *       .activation(Activation.RELU).trainSetSize(60_000).build();
 * </pre>
 * Every field has a getter and a setter so that Jackson (JSON, e.g. for Spark executors) and Java serialization
 * carry it.
 */
public class SparseVdConvolutionLayer extends ConvolutionLayer implements SparseVdLayer {

    private static final long serialVersionUID = 1L;

    private double klWeight = SparseVdDenseLayer.DEFAULT_KL_WEIGHT;
    private long trainSetSize;
    private double threshold = SparseVdDenseLayer.DEFAULT_THRESHOLD;
    private double logSigma2Init = SparseVdDenseLayer.DEFAULT_LOG_SIGMA2_INIT;
    private double logAlphaMin = SparseVdDenseLayer.DEFAULT_LOG_ALPHA_MIN;
    private double logAlphaMax = SparseVdDenseLayer.DEFAULT_LOG_ALPHA_MAX;
    private boolean skipInputGradient;

    /** For Jackson and Java serialization; use the {@link Builder}. */
    public SparseVdConvolutionLayer() {
    }

    private SparseVdConvolutionLayer(Builder b) {
        super(b);
        this.klWeight = b.klWeight;
        this.trainSetSize = b.trainSetSize;
        this.threshold = b.threshold;
        this.logSigma2Init = b.logSigma2Init;
        this.logAlphaMin = b.logAlphaMin;
        this.logAlphaMax = b.logAlphaMax;
        this.skipInputGradient = b.skipInputGradient;
        checkSupported();
    }

    /** Rejects what the layer does not implement, naming the layer and the setting. */
    private void checkSupported() {
        SparseVdValidation.all(getLayerName(), this);
        String what = null;
        if (!hasBias()) {
            what = "hasBias=false (the layer always has a bias)";
        } else if (getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            what = "data format " + getCnn2dDataFormat() + " (NCHW only)";
        } else if (getConvolutionMode() == ConvolutionMode.Causal) {
            what = "ConvolutionMode.Causal (1-D only)";
        } else if (getWeightNoise() != null) {
            what = "weight noise " + getWeightNoise() + " (it has its own multiplicative Gaussian noise)";
        } else if (getKernelSize() == null || getKernelSize().length != 2) {
            what = "kernel size " + Arrays.toString(getKernelSize()) + " (2-D kernels only)";
        }
        if (what != null) {
            throw new IllegalArgumentException("SparseVdConvolutionLayer \"" + getLayerName() + "\" does not support "
                    + what);
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("SparseVdConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        checkSupported();
        SparseVdConvolutionLayerImpl ret = new SparseVdConvolutionLayerImpl(conf, networkDataType);
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
        InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) inputType;
        InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterStateSize = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        long nW = (numParams - getNOut()) / 2;
        long inPerExample = in.arrayElementsPerExample();
        long outPerExample = out.arrayElementsPerExample();
        // libnd4j's conv2d works on an im2col buffer of [iC·kH·kW, oH·oW] per example
        long im2col = getNIn() * getKernelSize()[0] * getKernelSize()[1] * out.getHeight() * out.getWidth();
        // Training: x∘x and the input gradient of σ² (2 inputs); ε/σ, z, σ², σ (4 outputs); im2col of both convolutions
        long variableTrain = 2 * inPerExample + 4 * outPerExample + 2 * im2col;
        if (getIDropout() != null) {
            variableTrain += inPerExample;
        }
        return new LayerMemoryReport.Builder(layerName, SparseVdConvolutionLayer.class, inputType, out)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(2 * nW, im2col, 6 * nW, variableTrain)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    // ---- SparseVdLayer: plain bean properties, checked as SparseVdDenseLayer's

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
    public SparseVdConvolutionLayer clone() {
        return (SparseVdConvolutionLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof SparseVdConvolutionLayer other) || !other.canEqual(this) || !super.equals(o)) {
            return false;
        }
        return SparseVdValidation.sameSettings(this, other);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof SparseVdConvolutionLayer;
    }

    @Override
    public int hashCode() {
        return SparseVdValidation.settingsHash(super.hashCode(), this);
    }

    @Override
    public String toString() {
        return "SparseVdConvolutionLayer(" + super.toString() + SparseVdValidation.describe(this) + ")";
    }

    /** Builder, as DL4J's ConvolutionLayer.Builder plus the SparseVD settings. Every setter checks its argument. */
    public static class Builder extends ConvolutionLayer.BaseConvBuilder<Builder> {

        private double klWeight = SparseVdDenseLayer.DEFAULT_KL_WEIGHT;
        private long trainSetSize;
        private double threshold = SparseVdDenseLayer.DEFAULT_THRESHOLD;
        private double logSigma2Init = SparseVdDenseLayer.DEFAULT_LOG_SIGMA2_INIT;
        private double logAlphaMin = SparseVdDenseLayer.DEFAULT_LOG_ALPHA_MIN;
        private double logAlphaMax = SparseVdDenseLayer.DEFAULT_LOG_ALPHA_MAX;
        private boolean skipInputGradient;

        /** @param kernelSize kernel height and width (default 5x5) */
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        @Override
        protected boolean allowCausal() {
            return false;
        }

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

        /**
         * Skip the input gradient (null epsilon); only for a network's first layer fed 4-D input directly, without
         * an input preprocessor (default false).
         */
        public Builder skipInputGradient(boolean skipInputGradient) {
            this.skipInputGradient = skipInputGradient;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SparseVdConvolutionLayer build() {
            if (trainSetSize <= 0) {
                throw new IllegalArgumentException("SparseVdConvolutionLayer"
                        + (layerName == null ? "" : " \"" + layerName + "\"")
                        + ": trainSetSize (N, the number of examples in the whole training set) is required and must "
                        + "be > 0, got " + trainSetSize);
            }
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new SparseVdConvolutionLayer(this);
        }
    }
}
