package org.sparsevd.core.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.layers.impl.NativeConvolutionLayerImpl;

import java.util.Arrays;
import java.util.Collection;

/**
 * Configuration of a plain 2-D convolution layer: DL4J's {@link ConvolutionLayer} (this class extends its
 * configuration: the same fields, input types, output shapes, parameters {@code W} [nOut, nIn, kH, kW] and
 * {@code b} [1, nOut] with DL4J's initialization), computed by libnd4j's {@code conv2d}/{@code conv2d_bp} ops as
 * the Sparse VD convolution is. DL4J 1.0.0-M2.1's own ConvolutionLayer cannot use oneDNN (its helper looks up a
 * class that M2.1 renamed) and does im2col and gemm from Java, which made the plain baseline slower than Sparse VD.
 *
 * <p>NCHW data only, modes Truncate, Strict or Same, no weight noise; anything else is refused when the layer is
 * built (and when a deserialized configuration is instantiated).
 * <pre>
 *   new NativeConvolutionLayer.Builder(5, 5).nOut(20).convolutionMode(ConvolutionMode.Truncate)
 *       .activation(Activation.RELU).build();
 * </pre>
 * Its one field of its own, {@code skipInputGradient} (default false; only right for a network's first layer), makes
 * backprop return no input gradient, so that the layer need not compute one; DL4J's getters and setters carry
 * every other field through JSON and Java serialization.
 */
public class NativeConvolutionLayer extends ConvolutionLayer {

    private static final long serialVersionUID = 1L;

    private boolean skipInputGradient;

    /** For Jackson and Java serialization; use the {@link Builder}. */
    public NativeConvolutionLayer() {
    }

    private NativeConvolutionLayer(Builder b) {
        super(b);
        skipInputGradient = b.skipInputGradient;
        checkSupported();
    }

    /** Whether backprop returns no input gradient (only right for a network's first layer). */
    public boolean isSkipInputGradient() {
        return skipInputGradient;
    }

    public void setSkipInputGradient(boolean skipInputGradient) {
        this.skipInputGradient = skipInputGradient;
    }

    /** @throws IllegalArgumentException naming the layer if it has a configuration the layer does not implement */
    private void checkSupported() {
        String what = unsupported(this);
        if (what != null) {
            throw new IllegalArgumentException("NativeConvolutionLayer \"" + getLayerName() + "\" does not support "
                    + what);
        }
    }

    /**
     * What of a DL4J convolution configuration the libnd4j convolutions of sparsevd's layers do not implement, or
     * null: NHWC, the causal mode, weight noise, kernels other than 2-D.
     */
    static String unsupported(ConvolutionLayer c) {
        if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            return "data format " + c.getCnn2dDataFormat() + " (NCHW only)";
        } else if (c.getConvolutionMode() == ConvolutionMode.Causal) {
            return "ConvolutionMode.Causal (1-D only)";
        } else if (c.getWeightNoise() != null) {
            return "weight noise " + c.getWeightNoise();
        } else if (c.getKernelSize() == null || c.getKernelSize().length != 2) {
            return "kernel size " + Arrays.toString(c.getKernelSize()) + " (2-D kernels only)";
        }
        return null;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("NativeConvolutionLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        checkSupported();
        SparseVdOverrides.warnIfSkippingNotFirst(this, skipInputGradient, layerIndex);
        BaseLayer<?> made = new NativeConvolutionLayerImpl(conf, networkDataType);
        made.setListeners(trainingListeners);
        made.setIndex(layerIndex);
        made.setParamsViewArray(layerParamsView);
        made.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        made.setConf(conf);
        return made;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof NativeConvolutionLayer n && super.equals(o)
                && skipInputGradient == n.skipInputGradient;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof NativeConvolutionLayer;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(skipInputGradient);
    }

    @Override
    public String toString() {
        return "NativeConvolutionLayer(" + super.toString() + ", skipInputGradient=" + skipInputGradient + ")";
    }

    /** Builder, as DL4J's ConvolutionLayer.Builder. */
    public static class Builder extends Conv2dLayerBuilder<Builder> {
        private boolean skipInputGradient;

        /** @param kernelSize kernel height and width (default 5x5) */
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        /** Backprop returns no input gradient (default false; only right for a network's first layer). */
        public Builder skipInputGradient(boolean skipInputGradient) {
            this.skipInputGradient = skipInputGradient;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public NativeConvolutionLayer build() {
            checkGeometry();
            return new NativeConvolutionLayer(this);
        }
    }
}
