package org.sparsevd.core.layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparsevd.core.layers.impl.NativeConvolutionLayerImpl;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain convolution on libnd4j's conv2d ops: gradients against finite differences in double precision (Truncate
 * with stride 2 and padding, Same), the same initial parameters, outputs and gradients (parameters and input) as
 * DL4J's own ConvolutionLayer in float, the JSON round trip, and the configurations it refuses.
 */
@ExtendWith(DoublePrecision.class)
class NativeConvolutionLayerTest {

    /** conv(2→3 channels, k×k) – tanh – conv(3→2, 3×3) – tanh – softmax output (3 classes), input 2x6x7. */
    private static MultiLayerNetwork net(boolean nativeConv, ConvolutionMode mode, int k, int stride, int pad,
                                         DataType dt) {
        return net(nativeConv ? new NativeConvolutionLayer.Builder(k, k) : new ConvolutionLayer.Builder(k, k),
                nativeConv, mode, stride, pad, dt);
    }

    /** As above with the first layer's builder given. */
    private static MultiLayerNetwork net(ConvolutionLayer.BaseConvBuilder<?> c1, boolean nativeConv,
                                         ConvolutionMode mode, int stride, int pad, DataType dt) {
        ConvolutionLayer.BaseConvBuilder<?> c2 = nativeConv ? new NativeConvolutionLayer.Builder(3, 3)
                : new ConvolutionLayer.Builder(3, 3);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(dt).updater(new NoOp())
                .weightInit(new NormalDistribution(0, 0.5)).biasInit(0.1).list()
                .layer(c1.nOut(3).convolutionMode(mode).stride(stride, stride).padding(pad, pad)
                        .activation(Activation.TANH).name("c1").build())
                .layer(c2.nOut(2).convolutionMode(mode).activation(Activation.TANH).name("c2").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).name("out").build())
                .setInputType(InputType.convolutional(6, 7, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray input(int mb, long seed, DataType dt) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, mb, 2, 6, 7).subi(0.5).muli(4).castTo(dt);
    }

    private static boolean gradientCheck(ConvolutionMode mode, int stride, int pad, long seed) {
        MultiLayerNetwork net = net(true, mode, 3, stride, pad, DataType.DOUBLE);
        assertInstanceOf(NativeConvolutionLayerImpl.class, net.getLayer(0));
        INDArray y = TestNets.oneHot(4, 3, new Random(seed), DataType.DOUBLE);
        return TestNets.gradientsMatch(net, input(4, seed, DataType.DOUBLE), y, seed, 1e-9);
    }

    @Test
    void gradientsMatchFiniteDifferencesTruncateStride2Padding1() {
        assertTrue(gradientCheck(ConvolutionMode.Truncate, 2, 1, 1));
    }

    @Test
    void gradientsMatchFiniteDifferencesSame() {
        assertTrue(gradientCheck(ConvolutionMode.Same, 1, 0, 2));
        assertTrue(gradientCheck(ConvolutionMode.Same, 2, 0, 3));
    }

    /** Same seed: the same parameters; then the same scores, outputs and gradients (float, 1e-5 relative). */
    @Test
    void matchesDl4jConvolutionLayer() {
        int[][] cases = {{5, 1, 0}, {3, 2, 1}}; // kernel, stride, padding (ignored in Same mode)
        for (ConvolutionMode mode : new ConvolutionMode[]{ConvolutionMode.Truncate, ConvolutionMode.Same}) {
            for (int[] c : cases) {
                if (mode == ConvolutionMode.Truncate && c[0] == 5 && c[1] == 1) {
                    // 6x7 → 2x3, then the 3×3 c2 would not fit: use a 5×5 kernel in Same mode only
                    continue;
                }
                int pad = mode == ConvolutionMode.Same ? 0 : c[2];
                String what = mode + " k" + c[0] + " s" + c[1] + " p" + pad;
                MultiLayerNetwork dl4j = net(false, mode, c[0], c[1], pad, DataType.FLOAT);
                MultiLayerNetwork ours = net(true, mode, c[0], c[1], pad, DataType.FLOAT);
                assertInstanceOf(NativeConvolutionLayerImpl.class, ours.getLayer(1));
                assertEquals(dl4j.params(), ours.params(), "initial parameters, " + what);
                assertEquals(dl4j.paramTable().keySet(), ours.paramTable().keySet());

                INDArray x = input(5, 7, DataType.FLOAT);
                INDArray y = TestNets.oneHot(5, 3, new Random(8), DataType.FLOAT);
                assertClose(dl4j.output(x), ours.output(x), "inference output, " + what);
                assertClose(dl4j.feedForward(x, true).get(1), ours.feedForward(x, true).get(1),
                        "training activations of c1, " + what);

                Pair<Gradient, INDArray> g1 = dl4j.calculateGradients(x, y, null, null);
                Pair<Gradient, INDArray> g2 = ours.calculateGradients(x, y, null, null);
                assertEquals(dl4j.score(), ours.score(), 1e-5 * Math.abs(dl4j.score()), "score, " + what);
                assertEquals(g1.getFirst().gradientForVariable().keySet(),
                        g2.getFirst().gradientForVariable().keySet());
                for (String p : g1.getFirst().gradientForVariable().keySet()) {
                    assertClose(g1.getFirst().getGradientFor(p), g2.getFirst().getGradientFor(p),
                            "gradient of " + p + ", " + what);
                }
                assertClose(g1.getSecond(), g2.getSecond(), "input gradient, " + what);
            }
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.shapeInfoToString().split("Stride")[0], actual.shapeInfoToString().split("Stride")[0],
                what);
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * scale, what + ": max difference " + diff + " against scale " + scale);
    }

    /**
     * A first layer that skips its input gradient returns none and the same parameter gradients: computed by
     * Conv2d.weightGradient where it applies (stride 1), by conv2d_bp otherwise (stride 2). Double precision, so
     * that the two computations agree to 1e-12.
     */
    @Test
    void skippingTheInputGradientKeepsTheParameterGradients() {
        Object[][] cases = {{ConvolutionMode.Truncate, 1, 1}, {ConvolutionMode.Same, 1, 0}, {ConvolutionMode.Truncate, 2, 1}};
        for (Object[] c : cases) {
            ConvolutionMode mode = (ConvolutionMode) c[0];
            int stride = (int) c[1];
            int pad = (int) c[2];
            MultiLayerNetwork full = net(true, mode, 3, stride, pad, DataType.DOUBLE);
            MultiLayerNetwork skipping = net(new NativeConvolutionLayer.Builder(3, 3).skipInputGradient(true), true,
                    mode, stride, pad, DataType.DOUBLE);
            assertEquals(full.params(), skipping.params());
            INDArray x = input(4, 9, DataType.DOUBLE);
            INDArray y = TestNets.oneHot(4, 3, new Random(9), DataType.DOUBLE);
            Pair<Gradient, INDArray> g1 = full.calculateGradients(x, y, null, null);
            Pair<Gradient, INDArray> g2 = skipping.calculateGradients(x, y, null, null);
            assertNotNull(g1.getSecond());
            assertNull(g2.getSecond(), "no input gradient, " + mode + " stride " + stride);
            for (String p : g1.getFirst().gradientForVariable().keySet()) {
                INDArray a = g1.getFirst().getGradientFor(p);
                INDArray b = g2.getFirst().getGradientFor(p);
                assertTrue(a.sub(b).amaxNumber().doubleValue() <= 1e-12 * a.amaxNumber().doubleValue(),
                        "gradient of " + p + ", " + mode + " stride " + stride);
            }
        }
    }

    @Test
    void jsonRoundTripKeepsClassAndFields() {
        MultiLayerConfiguration c = net(true, ConvolutionMode.Truncate, 3, 2, 1, DataType.FLOAT)
                .getLayerWiseConfigurations();
        String json = c.toJson();
        assertTrue(json.contains(NativeConvolutionLayer.class.getName()));
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        NativeConvolutionLayer l = (NativeConvolutionLayer) back.getConf(0).getLayer();
        assertEquals(ConvolutionMode.Truncate, l.getConvolutionMode());
        assertEquals(2, l.getStride()[0]);
        assertEquals(1, l.getPadding()[1]);
        assertEquals(3, l.getKernelSize()[0]);
        assertFalse(l.isSkipInputGradient());
        assertEquals(c, back);
        assertEquals(json, back.toJson());
        MultiLayerConfiguration skipping = net(new NativeConvolutionLayer.Builder(3, 3).skipInputGradient(true), true,
                ConvolutionMode.Truncate, 2, 1, DataType.FLOAT).getLayerWiseConfigurations();
        MultiLayerConfiguration skippingBack = MultiLayerConfiguration.fromJson(skipping.toJson());
        assertTrue(((NativeConvolutionLayer) skippingBack.getConf(0).getLayer()).isSkipInputGradient());
        assertEquals(skipping, skippingBack);
        assertNotEquals(c.getConf(0).getLayer(), skipping.getConf(0).getLayer());
        // not equal to DL4J's layer with the same fields, either way round
        ConvolutionLayer dl4j = (ConvolutionLayer) net(false, ConvolutionMode.Truncate, 3, 2, 1, DataType.FLOAT)
                .getLayerWiseConfigurations().getConf(0).getLayer();
        assertNotEquals(dl4j, l);
        assertNotEquals(l, dl4j);
        MultiLayerNetwork restored = new MultiLayerNetwork(back);
        restored.init();
        assertInstanceOf(NativeConvolutionLayerImpl.class, restored.getLayer(0));
    }

    @Test
    void refusesWhatItDoesNotImplement() {
        // the builder cannot set NHWC; a configuration read from JSON can, and is refused when instantiated
        String json = net(true, ConvolutionMode.Truncate, 3, 1, 0, DataType.FLOAT).getLayerWiseConfigurations()
                .toJson();
        assertTrue(json.contains("\"cnn2dDataFormat\" : \"NCHW\""), "the format is in the JSON");
        MultiLayerConfiguration nhwcConf = MultiLayerConfiguration.fromJson(
                json.replace("\"cnn2dDataFormat\" : \"NCHW\"", "\"cnn2dDataFormat\" : \"NHWC\""));
        IllegalArgumentException nhwc = assertThrows(IllegalArgumentException.class,
                () -> new MultiLayerNetwork(nhwcConf).init());
        assertTrue(nhwc.getMessage().contains("\"c1\"") && nhwc.getMessage().contains("NHWC"), nhwc.getMessage());
        IllegalArgumentException noise = assertThrows(IllegalArgumentException.class,
                () -> new NativeConvolutionLayer.Builder(3, 3).nOut(2).weightNoise(new DropConnect(0.5)).build());
        assertTrue(noise.getMessage().contains("weight noise"), noise.getMessage());
    }
}
