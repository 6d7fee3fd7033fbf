package org.sparsevd.core.layers;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparsevd.core.layers.impl.SparseVdConvolutionLayerImpl;
import org.sparsevd.core.sparsity.LayerSparsity;
import org.sparsevd.core.sparsity.SparsityReport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SparseVD convolution layer: gradients against finite differences in double precision (KL on, logα inside and
 * outside the clip, Truncate and Same modes, stride 1 and 2, several channels), the forward pass against DL4J's own
 * ConvolutionLayer, the inference mask, serialization.
 */
@ExtendWith(DoublePrecision.class)
class SparseVdConvolutionLayerTest {

    private static final long NOISE_SEED = 12345;
    /** N: small enough for a KL term that matters in the gradient, large enough to keep the scores moderate. */
    private static final long N = 50;
    private static SparseVdConvolutionLayer.Builder conv(int nOut, ConvolutionMode mode, int stride, int pad) {
        return new SparseVdConvolutionLayer.Builder(3, 3).nOut(nOut).convolutionMode(mode).stride(stride, stride)
                .padding(pad, pad).trainSetSize(N);
    }

    /** conv(2→3 channels) – tanh – conv(3→2) – dense(→3) – softmax, input 2x6x7 (4-D, no preprocessor). */
    private static MultiLayerNetwork net(ConvolutionMode mode, int stride, int pad, boolean skipFirst, DataType dt) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(dt).updater(new NoOp())
                .weightInit(new NormalDistribution(0, 0.5)).list()
                .layer(conv(3, mode, stride, pad).activation(Activation.TANH).skipInputGradient(skipFirst).name("c1").build())
                .layer(conv(2, mode, 1, 0).activation(Activation.TANH).name("c2").build())
                .layer(new SparseVdDenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).trainSetSize(N).name("d").build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 7, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork spread(MultiLayerNetwork net, long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < 3; i++) {
            TestNets.spreadLogAlpha(net.getLayer(i), -12, 12, 0.1, -8, 8, rnd);
        }
        return net;
    }

    /**
     * As the dense layer's check, but with an absolute-error floor of 1e-8: the scores here reach ~15 (KL weight 1,
     * N = 50, logα up to 12), so central differences with ε = 1e-6 carry a round-off of |score|·2⁻⁵²/ε ≈ 2e-9.
     */
    private static boolean check(MultiLayerNetwork net, int mb, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.DOUBLE, mb, 2, 6, 7).subi(0.5).muli(4);
        INDArray y = TestNets.oneHot(mb, 3, new Random(seed), DataType.DOUBLE);
        return TestNets.gradientsMatch(net, x, y, NOISE_SEED, 1e-8);
    }

    @Test
    void gradientsMatchFiniteDifferencesTruncateStride1() {
        assertTrue(check(spread(net(ConvolutionMode.Truncate, 1, 0, false, DataType.DOUBLE), 1), 3, 1));
    }

    @Test
    void gradientsMatchFiniteDifferencesTruncateStride2Padding1() {
        assertTrue(check(spread(net(ConvolutionMode.Truncate, 2, 1, false, DataType.DOUBLE), 2), 3, 2));
    }

    @Test
    void gradientsMatchFiniteDifferencesSameStride2() {
        MultiLayerNetwork net = spread(net(ConvolutionMode.Same, 2, 0, false, DataType.DOUBLE), 3);
        assertArrayEquals(new long[]{3, 3, 3, 4}, net.feedForward(Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 7)).get(1).shape());
        assertTrue(check(net, 3, 3));
    }

    @Test
    void gradientsMatchFiniteDifferencesSameStride1SkippingTheInputGradient() {
        MultiLayerNetwork net = spread(net(ConvolutionMode.Same, 1, 0, true, DataType.DOUBLE), 4);
        assertTrue(check(net, 2, 4));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 7);
        INDArray y = TestNets.oneHot(2, 3, new Random(4), DataType.DOUBLE);
        assertNull(net.calculateGradients(x, y, null, null).getSecond());
        SparseVdConvolutionLayer conv = (SparseVdConvolutionLayer) net.getLayer(0).conf().getLayer();
        conv.setSparseVd(conv.getSparseVd().withSkipInputGradient(false));
        assertNotNull(net.calculateGradients(x, y, null, null).getSecond());
    }

    /** The weight gradients alone by one convolution each (Conv2d.weightGradient): Truncate, stride 1, padding 1. */
    @Test
    void gradientsMatchFiniteDifferencesTruncatePadding1SkippingTheInputGradient() {
        assertTrue(check(spread(net(ConvolutionMode.Truncate, 1, 1, true, DataType.DOUBLE), 6), 3, 6));
    }

    /** Stride 2: conv2d_bp, its input gradient dropped. */
    @Test
    void gradientsMatchFiniteDifferencesTruncateStride2SkippingTheInputGradient() {
        assertTrue(check(spread(net(ConvolutionMode.Truncate, 2, 1, true, DataType.DOUBLE), 7), 3, 7));
    }

    @Test
    void klTermIsPartOfTheGradient() {
        MultiLayerNetwork net = spread(net(ConvolutionMode.Truncate, 1, 0, false, DataType.DOUBLE), 5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 6, 7);
        INDArray y = TestNets.oneHot(4, 3, new Random(5), DataType.DOUBLE);
        Nd4j.getRandom().setSeed(NOISE_SEED);
        INDArray withKl = net.calculateGradients(x, y, null, null).getFirst().gradient().dup();
        SparseVdLayers.setKlWeight(net.getLayerWiseConfigurations(), 0.0);
        Nd4j.getRandom().setSeed(NOISE_SEED);
        INDArray withoutKl = net.calculateGradients(x, y, null, null).getFirst().gradient().dup();
        // ~6% of the whole gradient's norm here: far above what the checks' 1e-5 relative tolerance would miss
        assertTrue(withKl.sub(withoutKl).norm2Number().doubleValue() > 0.01 * withoutKl.norm2Number().doubleValue());
    }

    /** The same weights in DL4J's ConvolutionLayer: its output is μ, and conv(x∘x, exp(logσ²)) is σ². */
    private static MultiLayerNetwork plainConv(ConvolutionMode mode, int stride, int pad, INDArray w, INDArray b) {
        MultiLayerNetwork plain = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(w.size(0)).stride(stride, stride).padding(pad, pad)
                        .convolutionMode(mode).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(6, 7, 2)).build());
        plain.init();
        plain.getLayer(0).setParam("W", w);
        plain.getLayer(0).setParam("b", b);
        return plain;
    }

    @Test
    void forwardPassesAgreeWithDl4jConvolution() {
        for (ConvolutionMode mode : new ConvolutionMode[]{ConvolutionMode.Truncate, ConvolutionMode.Same}) {
            MultiLayerNetwork net = net(mode, 2, mode == ConvolutionMode.Same ? 0 : 1, false, DataType.DOUBLE);
            org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
            layer.getParam("b").assign(Nd4j.rand(DataType.DOUBLE, 1, 3));
            layer.getParam("logSigma2").assign(Nd4j.rand(DataType.DOUBLE, 3, 2, 3, 3).subi(3));
            INDArray w = layer.getParam("W");
            Nd4j.getRandom().setSeed(11);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 200, 2, 6, 7);
            int stride = 2;
            int pad = mode == ConvolutionMode.Same ? 0 : 1;

            // inference: logσ² low everywhere → nothing masked → exactly DL4J's convolution
            INDArray savedLs = layer.getParam("logSigma2").dup();
            layer.getParam("logSigma2").assign(-30);
            INDArray mu = plainConv(mode, stride, pad, w, layer.getParam("b")).output(x);
            layer.setInput(x, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
            INDArray inference = layer.activate(false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
            assertEquals(0.0, inference.sub(Transforms.tanh(mu, true)).amaxNumber().doubleValue(), 1e-12, mode.toString());

            // training: (z − μ)/σ is standard normal with σ² = conv(x∘x, exp(logσ²)) + 1e-8
            layer.getParam("logSigma2").assign(savedLs);
            INDArray var = plainConv(mode, stride, pad, Transforms.exp(savedLs, true), Nd4j.zeros(DataType.DOUBLE, 1, 3))
                    .output(x.mul(x)).addi(1e-8);
            layer.setInput(x, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
            INDArray z = ((SparseVdConvolutionLayerImpl) layer).preOutput(true,
                    org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
            INDArray eps = z.sub(mu).divi(Transforms.sqrt(var, true));
            assertEquals(0.0, eps.meanNumber().doubleValue(), 0.05, mode + " noise mean");
            assertEquals(1.0, eps.stdNumber().doubleValue(), 0.05, mode + " noise std");
        }
    }

    @Test
    void inferenceMasksWeightsAtTheThresholdAndTheReportCountsThem() {
        MultiLayerNetwork net = net(ConvolutionMode.Truncate, 1, 0, false, DataType.DOUBLE);
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
        INDArray w = layer.getParam("W");
        INDArray ls = layer.getParam("logSigma2");
        w.assign(1.0);
        ls.assign(-5.0);
        // output channel 0's kernel for input channel 1: logα = 5 ≥ 3 → pruned
        ls.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(1))
                .assign(5.0);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 2, 6, 7);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(1.0);
        layer.getParam("b").assign(0);
        layer.setInput(x, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        INDArray out = layer.activate(false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        // channel 0 sees only input channel 1, whose kernel is pruned; channel 1 sums 9 ones
        assertEquals(0.0, out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).amaxNumber().doubleValue(), 0.0);
        assertEquals(Math.tanh(9), out.getDouble(0, 1, 2, 2), 1e-12);

        List<LayerSparsity> r = SparsityReport.of(net);
        assertEquals("c1", r.get(0).name());
        assertEquals(3 * 2 * 9, r.get(0).weights());
        assertEquals(3 * 2 * 9 - 9, r.get(0).nonzero());
        assertEquals(3, SparseVdLayers.list(net).size());
    }

    @Test
    void parametersHaveDl4jConvolutionShapes() {
        MultiLayerNetwork net = net(ConvolutionMode.Truncate, 1, 0, false, DataType.FLOAT);
        assertArrayEquals(new long[]{3, 2, 3, 3}, net.getParam("0_W").shape());
        assertArrayEquals(new long[]{3, 2, 3, 3}, net.getParam("0_logSigma2").shape());
        assertArrayEquals(new long[]{1, 3}, net.getParam("0_b").shape());
        assertTrue(net.getParam("0_logSigma2").eq(-10).all());
        assertEquals(2 * 54 + 3, net.getLayer(0).numParams());
    }

    @Test
    void unsupportedSettingsAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv(2, ConvolutionMode.Same, 1, 0).hasBias(false).name("x").build());
        assertTrue(e.getMessage().contains("\"x\"") && e.getMessage().contains("hasBias"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SparseVdConvolutionLayer.Builder(3, 3).nOut(2).build());
        assertTrue(e.getMessage().contains("trainSetSize"), e.getMessage());
    }

    @Test
    void everyFieldSurvivesJsonJavaSerializationAndModelFiles() throws Exception {
        MultiLayerConfiguration c = new NeuralNetConfiguration.Builder().updater(new Adam(0.01)).list()
                .layer(new SparseVdConvolutionLayer.Builder(5, 3).nOut(4).stride(2, 1).padding(1, 2)
                        .convolutionMode(ConvolutionMode.Truncate).dilation(1, 1).activation(Activation.RELU).name("c")
                        .klWeight(0.37).trainSetSize(12345).threshold(2.5).logSigma2Init(-7.5).logAlphaClip(-6.5, 7.25)
                        .skipInputGradient(true).build())
                .layer(new SparseVdDenseLayer.Builder().nOut(3).trainSetSize(12345).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(12, 10, 2))
                .build();
        SparseVdConvolutionLayer original = (SparseVdConvolutionLayer) c.getConf(0).getLayer();
        MultiLayerConfiguration json = MultiLayerConfiguration.fromJson(c.toJson());
        assertEquals(original, json.getConf(0).getLayer());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(original, ((MultiLayerConfiguration) in.readObject()).getConf(0).getLayer());
        }
        SparseVdConvolutionLayer back = (SparseVdConvolutionLayer) json.getConf(0).getLayer();
        assertEquals(0.37, back.getKlWeight());
        assertEquals(12345, back.getTrainSetSize());
        assertEquals(2.5, back.getThreshold());
        assertEquals(-7.5, back.getLogSigma2Init());
        assertEquals(-6.5, back.getLogAlphaMin());
        assertEquals(7.25, back.getLogAlphaMax());
        assertTrue(back.isSkipInputGradient());
        assertArrayEquals(new int[]{5, 3}, back.getKernelSize());
        assertArrayEquals(new int[]{2, 1}, back.getStride());
        assertArrayEquals(new int[]{1, 2}, back.getPadding());
        assertEquals(ConvolutionMode.Truncate, back.getConvolutionMode());
        assertEquals(2, back.getNIn());
        assertEquals(original, original.clone());

        MultiLayerNetwork net = new MultiLayerNetwork(c);
        net.init();
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, model, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.toByteArray()), true);
        assertEquals(net.params(), restored.params());
        assertEquals(original, restored.getLayerWiseConfigurations().getConf(0).getLayer());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 240);
        assertEquals(net.output(x), restored.output(x));
    }
}
