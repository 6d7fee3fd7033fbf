package org.sparsevd.core.arch;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.sparsevd.core.layers.SparseVdDenseLayer;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.SparseVdLayers;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Lenet300Test {

    @Test
    void sparseVdConfiguration() {
        ArchitectureSettings s = ArchitectureSettings.defaults(60000).withKlWeight(0.0).withThreshold(2.5)
                .withLogAlphaClip(-10, 10).withLogSigma2Init(-9);
        MultiLayerConfiguration conf = Lenet300.sparseVd(s);
        assertEquals(4, conf.getConfs().size());
        String[] names = {"dense1", "dense2", "dense3", "loss"};
        long[][] shapes = {{784, 300}, {300, 100}, {100, 10}};
        for (int i = 0; i < 3; i++) {
            SparseVdDenseLayer l = (SparseVdDenseLayer) conf.getConf(i).getLayer();
            assertEquals(names[i], l.getLayerName());
            assertEquals(shapes[i][0], l.getNIn());
            assertEquals(shapes[i][1], l.getNOut());
            assertEquals(i == 0, l.isSkipInputGradient());
            assertEquals(60000, l.getTrainSetSize());
            assertEquals(0.0, l.getKlWeight());
            assertEquals(2.5, l.getThreshold());
            assertEquals(-10, l.getLogAlphaMin());
            assertEquals(10, l.getLogAlphaMax());
            assertEquals(-9, l.getLogSigma2Init());
            assertTrue(l.getIUpdater() instanceof Adam);
            assertTrue(i < 2 ? l.getActivationFn() instanceof ActivationReLU : l.getActivationFn() instanceof ActivationIdentity);
        }
        LossLayer loss = (LossLayer) conf.getConf(3).getLayer();
        assertEquals("loss", loss.getLayerName());
        assertTrue(loss.getLossFn() instanceof LossMCXENT);
        assertTrue(loss.getActivationFn() instanceof ActivationSoftmax);
        assertEquals(DataType.FLOAT, conf.getDataType());
        assertEquals(3, SparseVdLayers.list(conf).size());

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(2L * (784 * 300 + 300 * 100 + 100 * 10) + 300 + 100 + 10, net.numParams());
        double std = net.getParam("0_W").std(true).getDouble();
        assertEquals(Lenet300.INIT_STD, std, 0.001);
        assertEquals(0.0, net.getParam("0_b").sumNumber().doubleValue());
        assertTrue(net.getParam("1_logSigma2").eq(-9).all());

        // one training step on random data works and changes the parameters
        Nd4j.getRandom().setSeed(3);
        DataSet ds = new DataSet(Nd4j.rand(DataType.FLOAT, 16, 784), Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5).castTo(DataType.FLOAT));
        org.nd4j.linalg.api.ndarray.INDArray before = net.params().dup();
        net.fit(ds);
        assertFalse(before.equals(net.params()));
        assertTrue(Double.isFinite(net.score()));
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
    }

    @Test
    void plainConfiguration() {
        MultiLayerConfiguration conf = Lenet300.plain(ArchitectureSettings.defaults(100).withSeed(9));
        assertEquals(3, conf.getConfs().size());
        assertTrue(conf.getConf(0).getLayer() instanceof DenseLayer);
        assertTrue(conf.getConf(1).getLayer() instanceof DenseLayer);
        assertTrue(conf.getConf(2).getLayer() instanceof OutputLayer);
        assertEquals("dense3", conf.getConf(2).getLayer().getLayerName());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, net.numParams());
        assertEquals(Lenet300.INIT_STD, net.getParam("0_W").std(true).getDouble(), 0.001);
        assertTrue(SparseVdLayers.list(conf).isEmpty());
    }

    @Test
    void settingsAreValidatedAndImmutable() {
        ArchitectureSettings d = ArchitectureSettings.defaults(500);
        assertEquals(42, d.seed());
        assertEquals(1.0, d.sparseVd().klWeight());
        assertEquals(3.0, d.sparseVd().threshold());
        assertEquals(-10.0, d.sparseVd().logSigma2Init());
        assertEquals(-8.0, d.sparseVd().logAlphaMin());
        assertEquals(8.0, d.sparseVd().logAlphaMax());
        assertEquals(new Adam(1e-3), d.updater());
        assertEquals(DataType.FLOAT, d.dataType());

        IUpdater u = d.updater();
        ((Adam) u).setLearningRate(5);
        assertEquals(1e-3, ((Adam) d.updater()).getLearningRate());
        Sgd sgd = new Sgd(0.5);
        ArchitectureSettings withSgd = d.withUpdater(sgd);
        sgd.setLearningRate(0.1);
        assertEquals(new Sgd(0.5), withSgd.updater());
        assertNotSame(withSgd.updater(), withSgd.updater());
        assertEquals(new Adam(0.01), d.withLearningRate(0.01).updater());

        assertThrows(IllegalArgumentException.class, () -> ArchitectureSettings.defaults(0));
        assertThrows(IllegalArgumentException.class, () -> d.withKlWeight(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withKlWeight(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withThreshold(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> d.withLogAlphaClip(1, 1));
        assertThrows(IllegalArgumentException.class, () -> d.withLogSigma2Init(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(0));
        assertThrows(NullPointerException.class, () -> d.withUpdater(null));
        assertThrows(IllegalArgumentException.class, () -> d.withDataType(DataType.HALF));
        assertEquals(d, ArchitectureSettings.defaults(500));
        assertEquals(7, d.withSeed(7).seed());
        assertEquals(9, d.withTrainSetSize(9).sparseVd().trainSetSize());
    }

    @Test
    void sparseVdLayersHelpersChangeLiveNetworks() {
        MultiLayerNetwork net = new MultiLayerNetwork(Lenet300.sparseVd(ArchitectureSettings.defaults(10)));
        net.init();
        assertEquals(3, SparseVdLayers.setKlWeight(net.getLayerWiseConfigurations(), 0.25));
        assertEquals(3, SparseVdLayers.setTrainSetSize(net.getLayerWiseConfigurations(), 1234));
        assertEquals(3, SparseVdLayers.setThreshold(net.getLayerWiseConfigurations(), 1.5));
        for (int i = 0; i < 3; i++) {
            SparseVdLayer l = (SparseVdLayer) net.getLayer(i).conf().getLayer();
            assertEquals(0.25, l.getKlWeight());
            assertEquals(1234, l.getTrainSetSize());
            assertEquals(1.5, l.getThreshold());
        }
        List<SparseVdLayer> fromConf = SparseVdLayers.list(net.getLayerWiseConfigurations());
        assertEquals(SparseVdLayers.list(net), fromConf);
        MultiLayerConfiguration c = Lenet300.sparseVd(ArchitectureSettings.defaults(10));
        assertEquals(3, SparseVdLayers.setKlWeight(c, 0.5));
        assertEquals(0.5, SparseVdLayers.list(c).get(2).getKlWeight());
        assertThrows(IllegalArgumentException.class, () -> SparseVdLayers.setKlWeight(c, -1));
        assertThrows(IllegalArgumentException.class, () -> SparseVdLayers.setTrainSetSize(c, 0));
        assertThrows(IllegalArgumentException.class, () -> SparseVdLayers.setThreshold(c, Double.NaN));
    }

    @Test
    void worksInAComputationGraphToo() {
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .updater(new Adam(0.01)).seed(1).graphBuilder()
                .addInputs("in")
                .addLayer("d1", new SparseVdDenseLayer.Builder().nIn(5).nOut(4).activation(org.nd4j.linalg.activations.Activation.RELU)
                        .trainSetSize(50).skipInputGradient(true).build(), "in")
                .addLayer("d2", new SparseVdDenseLayer.Builder().nIn(4).nOut(3).activation(org.nd4j.linalg.activations.Activation.IDENTITY)
                        .trainSetSize(50).build(), "d1")
                .addLayer("loss", new LossLayer.Builder(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build(), "d2")
                .setOutputs("loss").build();
        List<SparseVdLayer> sparseVd = conf.getVertices().values().stream()
                .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof SparseVdLayer)
                .map(v -> (SparseVdLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer())
                .toList();
        assertEquals(2, sparseVd.size());
        sparseVd.forEach(l -> l.setSparseVd(l.getSparseVd().withKlWeight(0.5)));
        org.deeplearning4j.nn.graph.ComputationGraph g = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        g.init();
        DataSet ds = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 5), Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1).castTo(DataType.FLOAT));
        org.nd4j.linalg.api.ndarray.INDArray before = g.params().dup();
        for (int i = 0; i < 3; i++) {
            g.fit(ds);
        }
        assertFalse(before.equals(g.params()));
        assertTrue(Double.isFinite(g.score()));
        assertEquals(conf, org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(conf.toJson()));
    }
}
