package org.sparsevd.core.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparsevd.core.schedule.KlWeightSchedule;
import org.sparsevd.core.seed.NoiseSeed;
import org.sparsevd.core.sparsity.LayerSparsity;
import org.sparsevd.core.sparsity.SparsityReport;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny full training run: 200 synthetic examples, 4 classes separable in 4 of 20 features. It must learn, and
 * with the KL term on (weight 1, the true ELBO) the irrelevant weights must be pruned.
 */
class EndToEndFitTest {

    static final int N = 200;
    static final int FEATURES = 20;
    static final int CLASSES = 4;

    static DataSet data(long seed) {
        Random rnd = new Random(seed);
        INDArray x = Nd4j.zeros(DataType.FLOAT, N, FEATURES);
        INDArray y = Nd4j.zeros(DataType.FLOAT, N, CLASSES);
        for (int i = 0; i < N; i++) {
            int c = i % CLASSES;
            y.putScalar(i, c, 1);
            for (int j = 0; j < FEATURES; j++) {
                x.putScalar(i, j, rnd.nextGaussian() + (j == c ? 3.0 : 0.0));
            }
        }
        return new DataSet(x, y);
    }

    static MultiLayerNetwork net(double klWeight) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.01))
                .weightInit(new NormalDistribution(0, 0.1)).list()
                .layer(new SparseVdDenseLayer.Builder().nIn(FEATURES).nOut(32).activation(Activation.RELU)
                        .trainSetSize(N).klWeight(klWeight).skipInputGradient(true).name("h").build())
                .layer(new SparseVdDenseLayer.Builder().nIn(32).nOut(CLASSES).activation(Activation.IDENTITY)
                        .trainSetSize(N).klWeight(klWeight).name("out").build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static void train(MultiLayerNetwork net, DataSet all, int epochs, KlWeightSchedule schedule) {
        for (int epoch = 0; epoch < epochs; epoch++) {
            if (schedule != null) {
                SparseVdLayers.setKlWeight(net.getLayerWiseConfigurations(), schedule.weight(epoch));
            }
            DataSet shuffled = all.copy();
            shuffled.shuffle(1000 + epoch);
            for (DataSet batch : shuffled.batchBy(20)) {
                NoiseSeed.apply(7, epoch, batch);
                net.fit(batch);
            }
        }
    }

    static double accuracy(MultiLayerNetwork net, DataSet ds) {
        INDArray predicted = net.output(ds.getFeatures(), false).argMax(1);
        INDArray actual = ds.getLabels().argMax(1);
        return predicted.eq(actual).castTo(DataType.FLOAT).meanNumber().doubleValue();
    }

    static double sparsity(List<LayerSparsity> report) {
        long w = 0;
        long nz = 0;
        for (LayerSparsity l : report) {
            w += l.weights();
            nz += l.nonzero();
        }
        return 1.0 - (double) nz / w;
    }

    @Test
    void learnsAndTheKlTermSparsifies() {
        DataSet train = data(1);
        DataSet test = data(2);

        MultiLayerNetwork noKl = net(0.0);
        assertTrue(sparsity(SparsityReport.of(noKl)) < 0.05); // only weights tiny at init (|W| < e^-6.5) count as pruned
        train(noKl, train, 25, null);
        double accNoKl = accuracy(noKl, test);
        double sparsityNoKl = sparsity(SparsityReport.of(noKl));

        MultiLayerNetwork withKl = net(0.0);
        train(withKl, train, 25, KlWeightSchedule.linearWarmup(1.0, 2, 5));
        double accKl = accuracy(withKl, test);
        List<LayerSparsity> report = SparsityReport.of(withKl);
        double sparsityKl = sparsity(report);

        String msg = "acc noKl=" + accNoKl + " kl=" + accKl + "; sparsity noKl=" + sparsityNoKl + " kl=" + sparsityKl
                + " " + report;
        assertTrue(accNoKl > 0.8, msg);
        assertTrue(accKl > 0.8, msg);
        assertTrue(sparsityNoKl < 0.05, msg);
        assertTrue(sparsityKl > 0.5, msg);
        // most inputs are noise: the first layer loses more than half of its weights to the KL term
        assertTrue(report.get(0).sparsity() > 0.5, msg);
        assertTrue(SparsityReport.compression(report) > 2, msg);
        System.out.println("EndToEndFitTest: " + msg);
    }
}
