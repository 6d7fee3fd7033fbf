package org.sparsevd.core.sparsity;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.kl.KlApproximation;
import org.sparsevd.core.kl.LogAlpha;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparsityReportTest {

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void sparseVdLayersUseTheirMaskAndThreshold() {
        MultiLayerNetwork net = init(Lenet300.sparseVd(ArchitectureSettings.defaults(1000)));
        // dense1: logα = 5 for the first 1000 weights (pruned), −5 for the rest; W = 1 there for simplicity
        INDArray w = net.getLayer(0).getParam("W");
        INDArray ls = net.getLayer(0).getParam("logSigma2");
        w.assign(1.0);
        ls.assign(-5.0);
        INDArray flatLs = ls.reshape('f', new long[]{ls.length()});
        flatLs.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1000)).assign(5.0);
        // dense3: everything clipped at 8 → all pruned
        net.getLayer(2).getParam("W").assign(1e-3);
        net.getLayer(2).getParam("logSigma2").assign(0.0);

        List<LayerSparsity> r = SparsityReport.of(net);
        assertEquals(3, r.size(), "loss layer has no weights and is left out");
        assertEquals("dense1", r.get(0).name());
        assertEquals("dense3", r.get(2).name());
        assertEquals(784 * 300, r.get(0).weights());
        assertEquals(784 * 300 - 1000, r.get(0).nonzero());
        assertEquals(1000.0 / (784 * 300), r.get(0).sparsity(), 1e-12);
        double expectedKl = 1000 * KlApproximation.kl(5 - Math.log(1 + 1e-8))
                + (784 * 300 - 1000) * KlApproximation.kl(-5 - Math.log(1 + 1e-8));
        assertEquals(expectedKl, r.get(0).kl(), 1e-6 * expectedKl);
        double expectedMean = (1000 * 5.0 + (784 * 300 - 1000) * -5.0) / (784 * 300) - Math.log(1 + 1e-8);
        assertEquals(expectedMean, r.get(0).meanLogAlpha(), 1e-5);
        assertEquals(0, r.get(2).nonzero());
        assertEquals(1.0, r.get(2).sparsity());
        assertEquals(8.0, r.get(2).meanLogAlpha(), 1e-6);
        // dense2: untouched init, logσ² = −10, W ~ N(0, 0.02) → logα = −10 − log W² mostly < 3
        assertTrue(r.get(1).sparsity() < 0.1);

        // threshold override: 6 keeps the logα = 5 weights of dense1
        List<LayerSparsity> r6 = SparsityReport.of(net, 6.0);
        assertEquals(784 * 300, r6.get(0).nonzero());
        // own threshold changed on the conf
        org.sparsevd.core.layers.SparseVdLayers.setThreshold(net.getLayerWiseConfigurations(), 6.0);
        assertEquals(784 * 300, SparsityReport.of(net).get(0).nonzero());

        long weights = 784 * 300 + 300 * 100 + 100 * 10;
        long kept = r.get(0).nonzero() + r.get(1).nonzero();
        assertEquals((double) weights / kept, SparsityReport.compression(r), 1e-9);
        // the network was not changed
        assertEquals(1.0, w.getDouble(0), 0.0);
        assertEquals(784 * 300 - 1000, LogAlpha.countKept(w, ls, -8, 8, 3.0));
    }

    @Test
    void plainLayersCountNonZeroWeights() {
        MultiLayerNetwork net = init(Lenet300.plain(ArchitectureSettings.defaults(1000)));
        net.getLayer(1).getParam("W").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(0);
        List<LayerSparsity> r = SparsityReport.of(net);
        assertEquals(3, r.size());
        assertEquals("dense2", r.get(1).name());
        assertEquals(300 * 100 - 10 * 100, r.get(1).nonzero());
        assertEquals(0.0, r.get(1).kl());
        assertTrue(Double.isNaN(r.get(1).meanLogAlpha()));
        assertEquals(784 * 300, r.get(0).nonzero());
    }

    @Test
    void unnamedLayersAreNamedByIndex() {
        MultiLayerConfiguration conf = Lenet300.sparseVd(ArchitectureSettings.defaults(10));
        conf.getConf(1).getLayer().setLayerName(null);
        MultiLayerNetwork net = init(conf);
        assertEquals("layer1", SparsityReport.of(net).get(1).name());
    }

    @Test
    void compressionEdgeCases() {
        assertEquals(Double.POSITIVE_INFINITY, SparsityReport.compression(List.of(LayerSparsity.of("a", 10, 0, 0, 0))));
        assertEquals(1.0, SparsityReport.compression(List.of()));
        assertEquals(4.0, SparsityReport.compression(List.of(LayerSparsity.of("a", 10, 2, 0, 0),
                LayerSparsity.of("b", 30, 8, 0, 0))));
        assertEquals(0.8, LayerSparsity.of("a", 10, 2, 0, 0).sparsity(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new LayerSparsity("a", 1, 2, 0, 0, 0));
        assertThrows(NullPointerException.class, () -> new LayerSparsity(null, 1, 1, 0, 0, 0));
    }

    @Test
    void reportWorksInDoubleNetworksToo() {
        MultiLayerNetwork net = init(Lenet300.sparseVd(ArchitectureSettings.defaults(10).withDataType(DataType.DOUBLE)));
        List<LayerSparsity> r = SparsityReport.of(net);
        assertEquals(3, r.size());
        assertEquals(DataType.DOUBLE, net.params().dataType());
        INDArray w = net.getLayer(1).getParam("W");
        INDArray ls = net.getLayer(1).getParam("logSigma2");
        double expectedKl = KlApproximation.klSum(LogAlpha.compute(w, ls, -8, 8));
        assertEquals(expectedKl, r.get(1).kl(), 1e-9 * expectedKl);
        assertEquals(LogAlpha.compute(w, ls, -8, 8).meanNumber().doubleValue(), r.get(1).meanLogAlpha(), 1e-12);
    }
}
