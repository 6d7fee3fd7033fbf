package org.sparsevd.core.layers;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.util.ConvolutionUtils;

/**
 * What the builders of sparsevd's 2-D convolution layers ({@link SparseVdConvolutionLayer.Builder},
 * {@link NativeConvolutionLayer.Builder}) share: DL4J's convolution builder without the causal mode, and the checks
 * of kernel, stride and padding against the convolution mode that DL4J's own builder makes.
 *
 * @param <T> the builder
 */
public abstract class Conv2dLayerBuilder<T extends Conv2dLayerBuilder<T>> extends ConvolutionLayer.BaseConvBuilder<T> {

    /** @param kernelSize kernel height and width (default 5x5) */
    protected Conv2dLayerBuilder(int... kernelSize) {
        super(kernelSize);
    }

    @Override
    protected boolean allowCausal() {
        return false;
    }

    /** @throws IllegalArgumentException if kernel, stride and padding do not fit each other or the mode */
    protected void checkGeometry() {
        ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
        ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
    }
}
