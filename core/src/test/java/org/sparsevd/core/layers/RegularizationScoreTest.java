package org.sparsevd.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.sparsevd.core.layers.impl.SparseVdLayerImpl;

/** The score minus the terms the layers report having added is the data loss, without recomputing the KL. */
class RegularizationScoreTest {
    @Test
    void scoreMinusReportedTermsIsTheDataLoss() {
        MultiLayerNetwork withKl = TestNets.twoLayer(6, 8, 3, Activation.RELU, 50, 1.0, true, DataType.DOUBLE,
                new NoOp(), 3);
        MultiLayerNetwork withoutKl = TestNets.twoLayer(6, 8, 3, Activation.RELU, 50, 0.0, true, DataType.DOUBLE,
                new NoOp(), 3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 10, 6);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 10, 3);
        for (int i = 0; i < 10; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        withKl.setInput(x);
        withKl.setLabels(y);
        Nd4j.getRandom().setSeed(7);
        withKl.computeGradientAndScore();
        double reported = 0;
        for (Layer l : withKl.getLayers()) {
            if (l instanceof SparseVdLayerImpl<?> s) {
                reported += s.lastRegularizationScore();
            }
        }
        assertTrue(reported > 0, "the KL term is part of the score: " + reported);

        withoutKl.setInput(x);
        withoutKl.setLabels(y);
        Nd4j.getRandom().setSeed(7);
        withoutKl.computeGradientAndScore();
        assertEquals(withoutKl.score(), withKl.score() - reported, 1e-10, "same noise, same data loss");
    }
}
