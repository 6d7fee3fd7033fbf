package org.sparsevd.core.arch;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.common.primitives.Pair;
import org.sparsevd.core.layers.FlatImagePreProcessor;
import org.sparsevd.core.layers.NativeConvolutionLayer;
import org.sparsevd.core.layers.SparseVdConvolutionLayer;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.core.sparsity.LayerSparsity;
import org.sparsevd.core.sparsity.SparsityReport;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LeNet-5, VGG-like and the small AlexNet in every variant: shapes, names, which layers are Sparse VD, a fit step. */
class ConvArchitecturesTest {

    private static final ArchitectureSettings S = ArchitectureSettings.defaults(1000);

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** One training step on random data, then the [b, 10] output. */
    private static void fitsAndPredicts(MultiLayerNetwork net, int features) {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, features);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 10);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i, 1);
        }
        INDArray before = net.params().dup();
        net.fit(new DataSet(x, y));
        assertFalse(before.equals(net.params()), "a fit step changes the parameters");
        assertArrayEquals(new long[]{4, 10}, net.output(x).shape());
        assertTrue(Double.isFinite(net.score()));
    }

    @Test
    void lenet5IsThePapersLenet5Caffe() {
        MultiLayerNetwork net = init(Lenet5.of(S, Variant.SPARSEVD, 0.5));
        List<LayerSparsity> layers = SparsityReport.of(net);
        assertEquals(List.of("conv1", "conv2", "dense1", "dense2"), layers.stream().map(LayerSparsity::name).toList());
        assertEquals(List.of(500L, 25_000L, 400_000L, 5_000L), layers.stream().map(LayerSparsity::weights).toList());
        assertEquals(4, SparseVdLayers.list(net).size());
        assertArrayEquals(new long[]{20, 1, 5, 5}, net.getLayer(0).getParam("W").shape());
        assertEquals("loss", net.getLayer(net.getnLayers() - 1).conf().getLayer().getLayerName());
        fitsAndPredicts(net, 784);

        MultiLayerNetwork plain = init(Lenet5.of(S, Variant.PLAIN, 0.5));
        assertEquals(0, SparseVdLayers.list(plain).size());
        assertEquals(NativeConvolutionLayer.class, plain.getLayer(0).conf().getLayer().getClass());
        assertEquals(430_500 + 20 + 50 + 500 + 10, plain.numParams());
        assertNull(plain.getLayer(4).conf().getLayer().getIDropout());
        fitsAndPredicts(plain, 784);

        MultiLayerNetwork dropout = init(Lenet5.of(S, Variant.DROPOUT, 0.3));
        Dropout d = (Dropout) dropout.getLayer(4).conf().getLayer().getIDropout();
        assertEquals(0.7, d.getP(), 1e-12, "DL4J's Dropout takes the retain probability");
        assertInstanceOf(OutputLayer.class, dropout.getLayer(5).conf().getLayer());
        assertInstanceOf(Dropout.class, dropout.getLayer(5).conf().getLayer().getIDropout());
        assertNull(dropout.getLayer(0).conf().getLayer().getIDropout());
        assertEquals(NativeConvolutionLayer.class, dropout.getLayer(2).conf().getLayer().getClass());
        fitsAndPredicts(dropout, 784);
    }

    @Test
    void vggLikeHasThirteenConvolutionsWithBatchNormAndAWidthMultiplier() {
        MultiLayerNetwork net = init(VggLike.of(S, Variant.SPARSEVD, 0.5, 0.125));
        List<LayerSparsity> layers = SparsityReport.of(net);
        assertEquals(15, layers.size());
        assertEquals("conv1", layers.get(0).name());
        assertEquals("fc2", layers.get(14).name());
        assertEquals(3L * 8 * 9, layers.get(0).weights(), "64 x 0.125 = 8 filters of 3x3x3");
        assertEquals(64L * 64 * 9, layers.get(12).weights(), "512 x 0.125 = 64 channels");
        assertEquals(15, SparseVdLayers.list(net).size());
        long bn = net.getLayerWiseConfigurations().getConfs().stream()
                .filter(c -> c.getLayer() instanceof BatchNormalization).count();
        assertEquals(14, bn);
        assertEquals(SparseVdConvolutionLayer.class, net.getLayer(0).conf().getLayer().getClass());
        fitsAndPredicts(net, 3072);
        assertThrows(IllegalArgumentException.class, () -> VggLike.of(S, Variant.SPARSEVD, 0.5, 0));
        assertEquals(64L * 64 * 9, SparsityReport.of(init(VggLike.of(S, Variant.PLAIN, 0.5, 0.125))).get(12).weights());
    }

    @Test
    void alexNetIsTheSmallAlexNetOfTheRandomLabelsExperiments() {
        MultiLayerNetwork net = init(AlexNetCifar.of(S, Variant.SPARSEVD, 0.5));
        List<LayerSparsity> layers = SparsityReport.of(net);
        assertEquals(List.of("conv1", "conv2", "dense1", "dense2", "dense3"),
                layers.stream().map(LayerSparsity::name).toList());
        assertEquals(List.of(3L * 64 * 25, 64L * 64 * 25, 4096L * 384, 384L * 192, 1920L),
                layers.stream().map(LayerSparsity::weights).toList());
        fitsAndPredicts(net, 3072);
        fitsAndPredicts(init(AlexNetCifar.of(S, Variant.DROPOUT, 0.5)), 3072);
    }

    /**
     * The first convolution of each architecture skips its input gradient (flat images enter through
     * FlatImagePreProcessor, which lets the absent gradient through), with the parameter gradients it has when it
     * computes one (the same noise seed; float, 1e-4 of each gradient's largest entry).
     */
    @Test
    void theFirstConvolutionSkipsItsInputGradient() {
        Map<String, Function<Variant, MultiLayerConfiguration>> archs = Map.of("lenet5", v -> Lenet5.of(S, v, 0.5),
                "vgglike", v -> VggLike.of(S, v, 0.5, 0.125), "alexnet", v -> AlexNetCifar.of(S, v, 0.5));
        for (var arch : archs.entrySet()) {
            for (Variant v : Variant.values()) {
                String what = arch.getKey() + " " + v;
                MultiLayerConfiguration conf = arch.getValue().apply(v);
                FlatImagePreProcessor images = assertInstanceOf(FlatImagePreProcessor.class, conf.getInputPreProcess(0));
                MultiLayerNetwork skipping = init(conf);
                MultiLayerNetwork full = init(arch.getValue().apply(v));
                org.deeplearning4j.nn.conf.layers.Layer first = full.getLayer(0).conf().getLayer();
                if (first instanceof SparseVdConvolutionLayer s) {
                    assertTrue(s.isSkipInputGradient(), what);
                    s.setSparseVd(s.getSparseVd().withSkipInputGradient(false));
                } else {
                    assertTrue(((NativeConvolutionLayer) first).isSkipInputGradient(), what);
                    ((NativeConvolutionLayer) first).setSkipInputGradient(false);
                }
                int features = (int) (images.getInputHeight() * images.getInputWidth() * images.getNumChannels());
                INDArray x = Nd4j.rand(DataType.FLOAT, 3, features);
                INDArray y = Nd4j.zeros(DataType.FLOAT, 3, 10).putScalar(0, 1, 1).putScalar(1, 2, 1).putScalar(2, 3, 1);
                Nd4j.getRandom().setSeed(5);
                Pair<Gradient, INDArray> g1 = full.calculateGradients(x, y, null, null);
                Nd4j.getRandom().setSeed(5);
                Pair<Gradient, INDArray> g2 = skipping.calculateGradients(x, y, null, null);
                assertNull(g2.getSecond(), what);
                for (String p : g1.getFirst().gradientForVariable().keySet()) {
                    INDArray a = g1.getFirst().getGradientFor(p);
                    double diff = a.sub(g2.getFirst().getGradientFor(p)).amaxNumber().doubleValue();
                    assertTrue(diff <= 1e-4 * a.amaxNumber().doubleValue(), p + " of " + what + ": " + diff);
                }
            }
        }
    }

    @Test
    void dropoutRateIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> Lenet5.of(S, Variant.DROPOUT, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Lenet5.of(S, Variant.DROPOUT, -0.1));
    }
}
