package org.sparsevd.core.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every SparseVD field survives JSON (how Spark ships configurations), Java serialization, clone and model files. */
class SparseVdSerializationTest {

    private static MultiLayerConfiguration conf() {
        return new NeuralNetConfiguration.Builder().updater(new Adam(0.01)).seed(5).list()
                .layer(new SparseVdDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.RELU).name("first")
                        .klWeight(0.37).trainSetSize(12345).threshold(2.5).logSigma2Init(-7.5).logAlphaClip(-6.5, 7.25)
                        .skipInputGradient(true).build())
                .layer(new SparseVdDenseLayer.Builder().nIn(4).nOut(3).activation(Activation.IDENTITY)
                        .trainSetSize(99).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
    }

    private static void assertFirstLayerFields(MultiLayerConfiguration c) {
        SparseVdDenseLayer l = (SparseVdDenseLayer) c.getConf(0).getLayer();
        assertEquals(0.37, l.getKlWeight());
        assertEquals(12345, l.getTrainSetSize());
        assertEquals(2.5, l.getThreshold());
        assertEquals(-7.5, l.getLogSigma2Init());
        assertEquals(-6.5, l.getLogAlphaMin());
        assertEquals(7.25, l.getLogAlphaMax());
        assertTrue(l.isSkipInputGradient());
        assertEquals("first", l.getLayerName());
        assertEquals(6, l.getNIn());
        assertEquals(4, l.getNOut());
        SparseVdDenseLayer l2 = (SparseVdDenseLayer) c.getConf(1).getLayer();
        assertEquals(99, l2.getTrainSetSize());
        assertEquals(1.0, l2.getKlWeight());
        assertEquals(false, l2.isSkipInputGradient());
    }

    @Test
    void jsonRoundTrip() {
        MultiLayerConfiguration c = conf();
        String json = c.toJson();
        for (String field : new String[]{"klWeight", "trainSetSize", "threshold", "logSigma2Init", "logAlphaMin",
                "logAlphaMax", "skipInputGradient", SparseVdDenseLayer.class.getName()}) {
            assertTrue(json.contains(field), "JSON lacks " + field);
        }
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertFirstLayerFields(back);
        assertEquals(c, back);
        assertEquals(c.getConf(0).getLayer().hashCode(), back.getConf(0).getLayer().hashCode());
        assertEquals(json, back.toJson());
        // a field change is visible to equals
        SparseVdDenseLayer changed = (SparseVdDenseLayer) back.getConf(0).getLayer();
        changed.setSparseVd(changed.getSparseVd().withKlWeight(0.5));
        assertNotEquals(c, back);
    }

    @Test
    void javaSerializationAndClone() throws Exception {
        MultiLayerConfiguration c = conf();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        MultiLayerConfiguration back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (MultiLayerConfiguration) in.readObject();
        }
        assertFirstLayerFields(back);
        assertEquals(c, back);

        MultiLayerConfiguration cloned = c.clone();
        assertFirstLayerFields(cloned);
        assertNotSame(c.getConf(0).getLayer(), cloned.getConf(0).getLayer());
        assertEquals(c, cloned);
        SparseVdDenseLayer l = (SparseVdDenseLayer) c.getConf(0).getLayer();
        assertEquals(l, l.clone());
    }

    @Test
    void modelFileRoundTripKeepsParametersAndBehaviour() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(conf());
        net.init();
        net.getLayer(0).getParam("logSigma2").assign(Nd4j.rand(DataType.FLOAT, 6, 4).muli(8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertFirstLayerFields(back.getLayerWiseConfigurations());
        assertEquals(net.params(), back.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 6);
        assertArrayEquals(net.output(x, false).ravel().toFloatVector(), back.output(x, false).ravel().toFloatVector(), 0f);
        Nd4j.getRandom().setSeed(11);
        float[] a = net.output(x, true).ravel().toFloatVector();
        Nd4j.getRandom().setSeed(11);
        assertArrayEquals(a, back.output(x, true).ravel().toFloatVector(), 0f);
    }
}
