package org.sparsevd.core.layers.impl;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.layers.NativeConvolutionLayer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Conv2d#weightGradient} (the weight and bias gradients alone, by one convolution) against libnd4j's
 * {@code conv2d_bp}, in float (oneDNN) and double, for the geometries {@link Conv2d#weightGradientByConvolution}
 * accepts; and the geometries it refuses.
 */
class Conv2dTest {

    private static NativeConvolutionLayer layer(int channels, int nOut, int k, ConvolutionMode mode, int stride,
                                                int pad, int dilation) {
        return new NativeConvolutionLayer.Builder(k, k).nIn(channels).nOut(nOut).convolutionMode(mode)
                .stride(stride, stride).padding(pad, pad).dilation(dilation, dilation).build();
    }

    /** weightGradient's dL/dW and dL/db are conv2d_bp's, to float rounding of sums of up to N·oH·oW terms. */
    private static void matchesConv2dBp(int n, int channels, int h, int w, int nOut, int k, ConvolutionMode mode,
                                        int pad, DataType dt) {
        String what = "N" + n + " C" + channels + " " + h + "x" + w + " O" + nOut + " k" + k + " " + mode + " p" + pad
                + " " + dt;
        NativeConvolutionLayer c = layer(channels, nOut, k, mode, 1, pad, 1);
        Nd4j.getRandom().setSeed(h * 31L + k);
        INDArray x = Nd4j.rand(dt, n, channels, h, w).subi(0.5);
        INDArray weights = Nd4j.randn(dt, nOut, channels, k, k);
        INDArray bias = Nd4j.randn(dt, 1, nOut);
        Conv2d conv = Conv2d.of(c, x, weights, "(test)");
        assertTrue(conv.weightGradientByConvolution(x), what);
        INDArray delta = Nd4j.randn(dt, conv.outShape());

        INDArray gradX = x.ulike();
        INDArray expectedW = weights.ulike();
        INDArray expectedB = bias.ulike();
        conv.backprop(x, weights, bias.reshape(nOut), delta, gradX, expectedW, expectedB.reshape(nOut));
        INDArray gradW = Nd4j.valueArrayOf(weights.shape(), Double.NaN, dt);
        INDArray gradB = Nd4j.valueArrayOf(bias.shape(), Double.NaN, dt);
        conv.weightGradient(x, delta, gradW, gradB);

        double tolerance = dt == DataType.FLOAT ? 2e-5 : 1e-12;
        assertClose(expectedW, gradW, tolerance, "dL/dW, " + what);
        assertClose(expectedB, gradB, tolerance, "dL/db, " + what);
        gradW.assign(Double.NaN);
        conv.weightGradient(x, delta, gradW, null);
        assertClose(expectedW, gradW, tolerance, "dL/dW without a bias, " + what);
    }

    private static void assertClose(INDArray expected, INDArray actual, double relative, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= relative * scale, what + ": max difference " + diff + " against scale " + scale);
    }

    @Test
    void weightGradientIsConv2dBpsForLenet5sFirstLayer() {
        matchesConv2dBp(50, 1, 28, 28, 20, 5, ConvolutionMode.Truncate, 0, DataType.FLOAT);
    }

    @Test
    void weightGradientIsConv2dBpsWithChannelsPaddingAndNonSquareInputs() {
        for (DataType dt : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            matchesConv2dBp(4, 3, 6, 7, 5, 3, ConvolutionMode.Same, 0, dt);        // VGG-like conv1: Same, 3x3
            matchesConv2dBp(3, 2, 9, 8, 4, 5, ConvolutionMode.Same, 0, dt);        // AlexNet conv1: Same, 5x5
            matchesConv2dBp(5, 2, 7, 6, 3, 3, ConvolutionMode.Truncate, 2, dt);    // explicit padding 2
            matchesConv2dBp(2, 3, 5, 5, 2, 5, ConvolutionMode.Truncate, 0, dt);    // 1x1 output
        }
    }

    @Test
    void refusesStridesDilationsAndUnevenPadding() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
        INDArray w3 = Nd4j.rand(DataType.FLOAT, 4, 3, 3, 3);
        assertTrue(Conv2d.of(layer(3, 4, 3, ConvolutionMode.Truncate, 1, 1, 1), x, w3, "").weightGradientByConvolution(x));
        assertFalse(Conv2d.of(layer(3, 4, 3, ConvolutionMode.Truncate, 2, 1, 1), x, w3, "").weightGradientByConvolution(x));
        assertFalse(Conv2d.of(layer(3, 4, 3, ConvolutionMode.Same, 2, 0, 1), x, w3, "").weightGradientByConvolution(x));
        assertFalse(Conv2d.of(layer(3, 4, 3, ConvolutionMode.Truncate, 1, 0, 2), x, w3, "").weightGradientByConvolution(x));
        INDArray w4 = Nd4j.rand(DataType.FLOAT, 4, 3, 4, 4);
        // Same mode with an even kernel pads 1 before and 2 after
        assertFalse(Conv2d.of(layer(3, 4, 4, ConvolutionMode.Same, 1, 0, 1), x, w4, "").weightGradientByConvolution(x));
    }
}
