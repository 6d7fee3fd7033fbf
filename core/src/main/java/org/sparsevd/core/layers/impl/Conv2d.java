package org.sparsevd.core.layers.impl;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.simd.DirectFloats;

import java.util.Arrays;

/**
 * One 2-D convolution, NCHW with weights [nOut, nIn, kH, kW], on libnd4j's {@code conv2d} and {@code conv2d_bp}
 * custom ops (oneDNN with the {@code linux-x86_64-onednn} natives): what the runtime convolution layers
 * ({@link SparseVdConvolutionLayerImpl}, {@link NativeConvolutionLayerImpl}) compute with. Kernel, stride, padding,
 * dilation and output size are those of DL4J's ConvolutionLayer for the configuration and input.
 *
 * <p>A network's first layer needs no input gradient, but {@code conv2d_bp} always computes one: for LeNet-5's conv1
 * (1 input channel, 24×24 outputs) oneDNN's backward-data pass and the reorders of δ it brings cost about 5x the
 * weight gradient. {@link #weightGradient} computes the weight and bias gradients alone, for the geometries where
 * {@link #weightGradientByConvolution} holds.
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

    /**
     * Whether {@link #weightGradient} applies to this convolution of {@code x}: stride 1, dilation 1 and the same
     * padding before and after the input on each axis (any padding in Truncate or Strict mode; in Same mode an odd
     * kernel), on ND4J's CPU backend (the arrays it hands libnd4j are permuted views; other backends' convolutions
     * are not tested with them here).
     */
    boolean weightGradientByConvolution(INDArray x) {
        return DirectFloats.hostMemory() && stride[0] == 1 && stride[1] == 1 && dilation[0] == 1 && dilation[1] == 1
                && padAfter(0, x.size(2)) == pad[0] && padAfter(1, x.size(3)) == pad[1];
    }

    /** The padding after the input on axis {@code axis} (0 rows, 1 columns) of an input of {@code size}. */
    private long padAfter(int axis, long size) {
        return (outShape[2 + axis] - 1) * stride[axis] + (long) (kernel[axis] - 1) * dilation[axis] + 1 - size
                - pad[axis];
    }

    /**
     * dL/dW, and dL/db unless {@code gradBOrNull} is null, of conv(x, W) + b given δ = dL/d out, without dL/dx; only
     * where {@link #weightGradientByConvolution}. With stride and dilation 1 and padding p on every side,
     * <pre>
     *   dL/dW[o, c, i, j] = Σ_n Σ_{y,x} δ[n, o, y, x] · x_p[n, c, y + i, x + j]
     * </pre>
     * is itself a convolution with padding p: of x with its batch and channel axes swapped ([C, N, H, W]) by δ, axes
     * swapped too, as the kernel ([O, N, oH, oW]); its output [C, O, kH, kW] is dL/dW with the first two axes
     * swapped. dL/db[o] = Σ_{n,y,x} δ[n, o, y, x].
     */
    void weightGradient(INDArray x, INDArray delta, INDArray gradW, INDArray gradBOrNull) {
        int[] args = iArgs((int) outShape[2], (int) outShape[3], 1, 1, pad[0], pad[1], 1, 1, false);
        INDArray swapped = Nd4j.createUninitialized(gradW.dataType(), gradW.size(1), gradW.size(0), kernel[0],
                kernel[1]);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addIntegerArguments(args)
                .addInputs(x.permute(1, 0, 2, 3), delta.permute(1, 0, 2, 3)).addOutputs(swapped).build());
        gradW.assign(swapped.permute(1, 0, 2, 3));
        if (gradBOrNull != null) {
            delta.sum(gradBOrNull.reshape(gradBOrNull.length()), 0, 2, 3);
        }
    }

    /** libnd4j's integer arguments of this convolution. */
    private int[] iArgs() {
        return iArgs(kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1], same);
    }

    /** libnd4j's integer arguments: kH, kW, sH, sW, pH, pW, dH, dW, same, NCHW, weights [oC, iC, kH, kW]. */
    private static int[] iArgs(int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW, boolean same) {
        return new int[]{kH, kW, sH, sW, pH, pW, dH, dW, same ? 1 : 0, 0, 1};
    }
}
