package org.sparsevd.core.layers;

import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.spec.SparseVdSettings;
import org.sparsevd.core.layers.spec.SparseVdParamInitializer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;
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

    private SparseVdSettings sparseVd = SparseVdSettings.DEFAULTS;

    private SparseVdConvolutionLayer(Builder b) {
        super(b);
        this.sparseVd = b.sparseVd;
        sparseVd.checkLayer("SparseVdConvolutionLayer", getLayerName(), unsupported(), false);
    }

    /** For Jackson and Java serialization; use the {@link Builder}. */
    public SparseVdConvolutionLayer() {
    }

    /** What of the DL4J configuration the layer does not implement, or null. */
    private String unsupported() {
        if (!hasBias()) {
            return "hasBias=false (the layer always has a bias)";
        } else if (getWeightNoise() != null) {
            return "weight noise " + getWeightNoise() + " (it has its own multiplicative Gaussian noise)";
        }
        return NativeConvolutionLayer.unsupported(this);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return SparseVdOverrides.instantiate(this, unsupported(), SparseVdConvolutionLayerImpl::new, conf,
                networkDataType, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return SparseVdOverrides.regularization(paramName, super::getRegularizationByParam);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) inputType;
        InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) getOutputType(-1, inputType);
        // libnd4j's conv2d works on an im2col buffer of [iC·kH·kW, oH·oW] per example
        long im2col = getNIn() * getKernelSize()[0] * getKernelSize()[1] * out.getHeight() * out.getWidth();
        // Training: x∘x and the input gradient of σ² (2 inputs); ε/σ, z, σ², σ (4 outputs); im2col of both
        // convolutions
        return SparseVdOverrides.memoryReport(this, inputType, out, im2col,
                2 * in.arrayElementsPerExample() + 4 * out.arrayElementsPerExample() + 2 * im2col);
    }

    // ---- SparseVdLayer: its parameters, then its settings

    @Override
    public ParamInitializer initializer() {
        return SparseVdParamInitializer.getInstance();
    }

    @Override
    public long[] weightShape() {
        int[] k = getKernelSize();
        return new long[] {getNOut(), getNIn(), k[0], k[1]};
    }

    @Override
    public char weightOrder() {
        return 'c';
    }

    /** DL4J's ConvolutionLayer's: fan-in nIn·kH·kW, fan-out nOut·kH·kW / (stride height · stride width). */
    @Override
    public double[] weightFans() {
        double receptive = (double) getKernelSize()[0] * getKernelSize()[1];
        return new double[] {getNIn() * receptive, getNOut() * receptive / ((double) getStride()[0] * getStride()[1])};
    }

    @Override
    public void setSparseVd(SparseVdSettings settings) {
        this.sparseVd = java.util.Objects.requireNonNull(settings, "settings");
    }

    @Override
    public SparseVdSettings getSparseVd() {
        return sparseVd;
    }

    // ---- equality over DL4J's fields and the settings

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SparseVdConvolutionLayer other && other.canEqual(this) && super.equals(o)
                && sparseVd.equals(other.sparseVd);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + sparseVd.hashCode();
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof SparseVdConvolutionLayer;
    }

    @Override
    public String toString() {
        return SparseVdOverrides.describe(this, super.toString());
    }

    /** Builder, as DL4J's ConvolutionLayer.Builder plus the SparseVD settings. Every setter checks its argument. */
    public static class Builder extends Conv2dLayerBuilder<Builder> implements SparseVdLayerBuilder<Builder> {

        private SparseVdSettings sparseVd = SparseVdSettings.DEFAULTS;

        /** @param kernelSize kernel height and width (default 5x5) */
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        @Override
        @SuppressWarnings("unchecked")
        public SparseVdConvolutionLayer build() {
            checkGeometry();
            return new SparseVdConvolutionLayer(this);
        }

        @Override
        public Builder updateSparseVd(UnaryOperator<SparseVdSettings> change) {
            sparseVd = java.util.Objects.requireNonNull(change.apply(sparseVd), "settings");
            return this;
        }
    }
}
