package org.sparsevd.core.layers.impl;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * One 2-D convolution, NCHW with weights [nOut, nIn, kH, kW], on libnd4j's {@code conv2d} and {@code conv2d_bp}
 * custom ops (oneDNN with the {@code linux-x86_64-onednn} natives): what the runtime convolution layers
 * ({@link SparseVdConvolutionLayerImpl}, {@link NativeConvolutionLayerImpl}) compute with. Kernel, stride, padding,
 * dilation and output size are those of DL4J's ConvolutionLayer for the configuration and input.
 */
record Conv2d(int[] kernel, int[] stride, int[] pad, int[] dilation, boolean same, long[] outShape)
        implements SparseVdLayerImpl.LinearMap {

    /**
     * The convolution of the configuration {@code c} for the input {@code x} with weights {@code w}.
     *
     * @param layerId names the layer in the error message
     * @throws DL4JInvalidInputException if x is not [minibatch, w's nIn channels, height, width]
     */
    static Conv2d of(ConvolutionLayer c, INDArray x, INDArray w, String layerId) {
        if (x.rank() != 4 || x.size(1) != w.size(1)) {
            throw new DL4JInvalidInputException("Input of shape " + Arrays.toString(x.shape()) + " is invalid: expected "
                    + "rank 4 [minibatch, " + w.size(1) + " channels, height, width] (NCHW) " + layerId);
        }
        int[] kernel = c.getKernelSize();
        int[] stride = c.getStride();
        int[] dilation = c.getDilation();
        ConvolutionMode mode = c.getConvolutionMode();
        int[] pad;
        int[] outSize;
        if (mode == ConvolutionMode.Same) {
            outSize = ConvolutionUtils.getOutputSize(x, kernel, stride, null, mode, dilation, CNN2DFormat.NCHW);
            pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, new int[]{(int) x.size(2), (int) x.size(3)},
                    kernel, stride, dilation);
        } else {
            pad = c.getPadding();
            outSize = ConvolutionUtils.getOutputSize(x, kernel, stride, pad, mode, dilation, CNN2DFormat.NCHW);
        }
        return new Conv2d(kernel, stride, pad, dilation, mode == ConvolutionMode.Same,
                new long[]{x.size(0), c.getNOut(), outSize[0], outSize[1]});
    }

    /** out = conv(x, w) (+ b unless null). */
    @Override
    public void apply(INDArray x, INDArray w, INDArray bOrNull, INDArray out) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d")
                .addIntegerArguments(iArgs()).addOutputs(out);
        op = bOrNull == null ? op.addInputs(x, w) : op.addInputs(x, w, bOrNull);
        Nd4j.exec(op.build());
    }

    /** Gradients of conv(x, w) (+ b) given δ = dL/d out: into gradX, gradW (and gradB unless b is null). */
    void backprop(INDArray x, INDArray w, INDArray bOrNull, INDArray delta, INDArray gradX, INDArray gradW,
                  INDArray gradB) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp")
                .addIntegerArguments(iArgs());
        op = bOrNull == null ? op.addInputs(x, w, delta).addOutputs(gradX, gradW)
                : op.addInputs(x, w, bOrNull, delta).addOutputs(gradX, gradW, gradB);
        Nd4j.exec(op.build());
    }

    /** libnd4j's integer arguments: kH, kW, sH, sW, pH, pW, dH, dW, same, NCHW, weights [oC, iC, kH, kW]. */
    private int[] iArgs() {
        return new int[]{kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1],
                same ? 1 : 0, 0, 1};
    }
}
