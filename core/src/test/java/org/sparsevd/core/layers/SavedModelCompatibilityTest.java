package org.sparsevd.core.layers;

import org.sparsevd.core.layers.spec.SparseVdLayer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code model.zip} files and configuration JSON written by an earlier sparsevd (see
 * {@code resources/org/sparsevd/core/layers/saved/README.md}) still load with their settings, parameters and
 * inference outputs.
 */
class SavedModelCompatibilityTest {

    @Test
    void denseNetworkOfAnEarlierVersionLoads() throws IOException {
        MultiLayerNetwork net = load("dense", 6, new long[] {8, 6});
        SparseVdDenseLayer hidden = (SparseVdDenseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer();
        assertSettings(hidden, 0.3, 1234, 2.5, -9, -7, 7.5);
        assertEquals("hidden", hidden.getLayerName());
        assertEquals(6, hidden.getNIn());
        assertEquals(5, hidden.getNOut());
        SparseVdDenseLayer out = (SparseVdDenseLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();
        assertSettings(out, 1.0, 1234, 3.0, -10, -8, 8);
    }

    @Test
    void convolutionalNetworkOfAnEarlierVersionLoads() throws IOException {
        MultiLayerNetwork net = load("conv", 25, new long[] {8, 1, 5, 5});
        SparseVdConvolutionLayer conv = (SparseVdConvolutionLayer) net.getLayerWiseConfigurations().getConf(0)
                .getLayer();
        assertSettings(conv, 0.7, 4321, 2.0, -8.5, -6, 6.5);
        assertArrayEquals(new int[] {3, 3}, conv.getKernelSize());
        assertEquals(2, conv.getNOut());
        SparseVdDenseLayer dense = (SparseVdDenseLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();
        assertSettings(dense, 0.7, 4321, 2.0, -10, -8, 8);
    }

    private static void assertSettings(SparseVdLayer l, double klWeight, long n, double threshold,
                                       double logSigma2Init, double logAlphaMin, double logAlphaMax) {
        assertEquals(klWeight, l.getKlWeight());
        assertEquals(n, l.getTrainSetSize());
        assertEquals(threshold, l.getThreshold());
        assertEquals(logSigma2Init, l.getLogSigma2Init());
        assertEquals(logAlphaMin, l.getLogAlphaMin());
        assertEquals(logAlphaMax, l.getLogAlphaMax());
        assertFalse(l.isSkipInputGradient());
    }

    /** Loads {@code name}.zip, checks its parameters, outputs and configuration JSON against the recorded ones. */
    private static MultiLayerNetwork load(String name, int features, long[] shape) throws IOException {
        MultiLayerNetwork net;
        try (InputStream in = resource(name + ".zip")) {
            net = ModelSerializer.restoreMultiLayerNetwork(in, true);
        }
        assertNotNull(net.getUpdater().getStateViewArray(), "Adam state");
        assertEquals(40, net.getLayerWiseConfigurations().getIterationCount());
        assertArrayEquals(numbers(name + "-params.txt"), net.params().data().asDouble(), 0.0, "parameters");

        INDArray x = Nd4j.linspace(-1, 1, 8 * features, DataType.DOUBLE).reshape(shape).muli(1.5);
        assertArrayEquals(numbers(name + "-output.txt"), net.output(x, false).data().asDouble(), 1e-12,
                "inference output");

        String json = text(name + "-configuration.json");
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(json);
        assertEquals(json, fromJson.toJson(), "today's code writes the configuration as the earlier version did");
        for (int i = 0; i < fromJson.getConfs().size(); i++) {
            assertEquals(fromJson.getConf(i).getLayer(), net.getLayerWiseConfigurations().getConf(i).getLayer(),
                    name + " layer " + i + " from the configuration JSON");
        }
        return net;
    }

    private static double[] numbers(String resource) throws IOException {
        return text(resource).lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .mapToDouble(Double::parseDouble).toArray();
    }

    private static String text(String resource) throws IOException {
        try (InputStream in = resource(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = SavedModelCompatibilityTest.class.getResourceAsStream("saved/" + name);
        assertNotNull(in, name);
        return in;
    }
}
