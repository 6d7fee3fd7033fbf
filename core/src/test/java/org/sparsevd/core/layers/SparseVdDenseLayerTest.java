package org.sparsevd.core.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import org.sparsevd.core.kl.LogAlpha;
import org.sparsevd.core.kl.SparseVdKl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparseVdDenseLayerTest {

    /** One SparseVD layer (identity) + loss layer, so feedForward(...).get(1) is the SparseVD layer's output. */
    private static MultiLayerNetwork single(int nIn, int nOut, DataType dt, SparseVdDenseLayer.Builder b) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(dt).seed(3).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).list()
                .layer(b.nIn(nIn).nOut(nOut).activation(Activation.IDENTITY).name("svd").build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static double[][] layerOutput(MultiLayerNetwork net, INDArray x, boolean training) {
        return net.feedForward(x, training).get(1).toDoubleMatrix();
    }

    // ---------------------------------------------------------------- inference mask

    @Test
    void inferenceZeroesExactlyTheWeightsWithLogAlphaAtOrAboveThreshold() {
        MultiLayerNetwork net = single(3, 4, DataType.DOUBLE, TestNets.layer(3, 4, Activation.IDENTITY, 100).threshold(3.0));
        INDArray w = net.getLayer(0).getParam("W");
        INDArray ls = net.getLayer(0).getParam("logSigma2");
        INDArray b = net.getLayer(0).getParam("b");
        double[][] wv = {{1, -2, 0.5, 1}, {-1, 2, 1, -0.5}, {2, 1, -1, 1}};
        // logσ² − log(W² + 1e-8): chosen per entry; true = masked (logα ≥ 3)
        double[][] la = {{5, 2, 3 + 1e-6, -7}, {2.999, 12, -12, 3.5}, {0, 8, 2.5, 3.0001}};
        boolean[][] masked = {{true, false, true, false}, {false, true, false, true}, {false, true, false, true}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                w.putScalar(i, j, wv[i][j]);
                ls.putScalar(i, j, la[i][j] + Math.log(wv[i][j] * wv[i][j] + LogAlpha.EPS));
            }
        }
        b.assign(Nd4j.createFromArray(new double[][]{{0.25, -0.5, 0.125, 1}}));
        INDArray x = Nd4j.createFromArray(new double[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 2, -3}, {0.5, -1, 4}});
        double[][] out = layerOutput(net, x, false);
        double[] bias = {0.25, -0.5, 0.125, 1};
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j < 4; j++) {
                double expected = bias[j];
                for (int i = 0; i < 3; i++) {
                    expected += x.getDouble(r, i) * (masked[i][j] ? 0.0 : wv[i][j]);
                }
                assertEquals(expected, out[r][j], 0.0, "row " + r + " unit " + j);
            }
        }
        // the unit rows of x show the effective weights: exactly the masked ones are zero
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(masked[i][j], out[i][j] - bias[j] == 0.0, "weight " + i + "," + j);
            }
        }
        assertEquals(6, LogAlpha.countKept(w, ls, -8, 8, 3.0));
    }

    @Test
    void logAlphaEqualToThresholdIsMasked() {
        // clip max = threshold: every logα above it is clipped to exactly the threshold, and must be zeroed
        MultiLayerNetwork net = single(2, 2, DataType.DOUBLE,
                TestNets.layer(2, 2, Activation.IDENTITY, 100).threshold(3.0).logAlphaClip(-8, 3.0));
        INDArray w = net.getLayer(0).getParam("W");
        INDArray ls = net.getLayer(0).getParam("logSigma2");
        w.assign(Nd4j.createFromArray(new double[][]{{1, 2}, {-1, 0.5}}));
        ls.assign(Nd4j.createFromArray(new double[][]{{10, 2.9}, {3.5, -4}})); // logα ≈ {10, 1.51}, {3.5, −2.61}
        net.getLayer(0).getParam("b").assign(0);
        double[][] out = layerOutput(net, Nd4j.createFromArray(new double[][]{{1, 0}, {0, 1}}), false);
        assertArrayEquals(new double[]{0, 2}, out[0], 0.0);
        assertArrayEquals(new double[]{0, 0.5}, out[1], 0.0);
        INDArray logAlpha = LogAlpha.compute(w, ls, -8, 3.0);
        assertEquals(3.0, logAlpha.getDouble(0, 0), 0.0);
        assertEquals(0.0, LogAlpha.keepMask(logAlpha, 3.0).getDouble(0, 0), 0.0);
        assertEquals(0.0, LogAlpha.keepMask(Nd4j.createFromArray(3.0, 2.0), 3.0).getDouble(0), 0.0);
        assertEquals(1.0, LogAlpha.keepMask(Nd4j.createFromArray(3.0, Math.nextDown(3.0)), 3.0).getDouble(1), 0.0);
    }

    @Test
    void logAlphaClipsAndItsDerivativeIsZeroOutside() {
        INDArray w = Nd4j.createFromArray(1.0, 1.0, 1.0, 0.5);
        INDArray ls = Nd4j.createFromArray(-20.0, 0.0, 20.0, 1.0);
        INDArray la = LogAlpha.compute(w, ls, -8, 8);
        assertEquals(-8, la.getDouble(0), 0);
        assertEquals(-1e-8, la.getDouble(1), 1e-15);
        assertEquals(8, la.getDouble(2), 0);
        assertEquals(1 - Math.log(0.25 + 1e-8), la.getDouble(3), 1e-12);
        INDArray d = LogAlpha.clipDerivative(LogAlpha.unclipped(w, ls), -8, 8);
        assertArrayEquals(new double[]{0, 1, 0, 1}, d.toDoubleVector(), 0);
        assertEquals(Nd4j.createFromArray(1.0, 1.0, 1.0, 0.5), w, "arguments untouched");
        assertThrows(IllegalArgumentException.class, () -> LogAlpha.compute(w, ls, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LogAlpha.compute(w, Nd4j.zeros(2, 2), -8, 8));
    }

    // ---------------------------------------------------------------- training forward

    @Test
    void trainingOutputsHaveTheLocalReparameterizationMoments() {
        int n = 20000;
        MultiLayerNetwork net = single(3, 2, DataType.FLOAT, TestNets.layer(3, 2, Activation.IDENTITY, 100));
        INDArray w = net.getLayer(0).getParam("W");
        INDArray ls = net.getLayer(0).getParam("logSigma2");
        w.assign(Nd4j.createFromArray(new float[][]{{0.5f, -1f}, {0.25f, 2f}, {-1f, 0.1f}}));
        ls.assign(Nd4j.createFromArray(new float[][]{{-1f, 0f}, {-2f, -3f}, {0.5f, -0.5f}}));
        net.getLayer(0).getParam("b").assign(Nd4j.createFromArray(new float[][]{{0.3f, -0.2f}}));
        double[] x = {1, -2, 0.5};
        INDArray xs = Nd4j.createFromArray(new float[]{1f, -2f, 0.5f}).reshape(1, 3).repeat(0, n);
        Nd4j.getRandom().setSeed(99);
        double[][] out = layerOutput(net, xs, true);
        for (int k = 0; k < 2; k++) {
            double mu = net.getLayer(0).getParam("b").getDouble(0, k);
            double var = 1e-8;
            for (int j = 0; j < 3; j++) {
                mu += x[j] * w.getDouble(j, k);
                var += x[j] * x[j] * Math.exp(ls.getDouble(j, k));
            }
            double mean = 0;
            for (double[] row : out) {
                mean += row[k];
            }
            mean /= n;
            double s2 = 0;
            for (double[] row : out) {
                s2 += (row[k] - mean) * (row[k] - mean);
            }
            s2 /= n - 1;
            assertEquals(mu, mean, 5 * Math.sqrt(var / n), "mean of unit " + k);
            assertEquals(var, s2, 5 * var * Math.sqrt(2.0 / n), "variance of unit " + k);
        }
        // the two units' noise is independent
        double c = 0;
        double m0 = 0;
        double m1 = 0;
        for (double[] row : out) {
            m0 += row[0] / n;
            m1 += row[1] / n;
        }
        for (double[] row : out) {
            c += (row[0] - m0) * (row[1] - m1) / n;
        }
        double corr = c / Math.sqrt(variance(out, 0) * variance(out, 1));
        assertEquals(0.0, corr, 5 / Math.sqrt(n));
    }

    private static double variance(double[][] out, int k) {
        double m = 0;
        for (double[] row : out) {
            m += row[k] / out.length;
        }
        double v = 0;
        for (double[] row : out) {
            v += (row[k] - m) * (row[k] - m) / out.length;
        }
        return v;
    }

    @Test
    void noiseComesFromNd4jRandomAndInferenceIsDeterministic() {
        MultiLayerNetwork net = single(4, 3, DataType.FLOAT, TestNets.layer(4, 3, Activation.IDENTITY, 100).logSigma2Init(-1));
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 4);
        Nd4j.getRandom().setSeed(7);
        double[][] a = layerOutput(net, x, true);
        Nd4j.getRandom().setSeed(7);
        double[][] b = layerOutput(net, x, true);
        Nd4j.getRandom().setSeed(8);
        double[][] c = layerOutput(net, x, true);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.deepEquals(a, c));
        assertArrayEquals(layerOutput(net, x, false), layerOutput(net, x, false));
    }

    // ---------------------------------------------------------------- configuration

    @Test
    void builderDefaultsAndValidation() {
        SparseVdDenseLayer l = TestNets.layer(2, 3, Activation.RELU, 60000).build();
        assertEquals(1.0, l.getKlWeight());
        assertEquals(60000, l.getTrainSetSize());
        assertEquals(3.0, l.getThreshold());
        assertEquals(-10.0, l.getLogSigma2Init());
        assertEquals(-8.0, l.getLogAlphaMin());
        assertEquals(8.0, l.getLogAlphaMax());
        assertFalse(l.isSkipInputGradient());

        SparseVdDenseLayer.Builder b = new SparseVdDenseLayer.Builder().nIn(2).nOut(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("trainSetSize") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.trainSetSize(-5));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.klWeight(Double.NaN));
        e = assertThrows(IllegalArgumentException.class, () -> b.klWeight(-0.5));
        assertTrue(e.getMessage().contains("klWeight") && e.getMessage().contains("-0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.klWeight(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> b.threshold(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.logSigma2Init(Double.NEGATIVE_INFINITY));
        e = assertThrows(IllegalArgumentException.class, () -> b.logAlphaClip(3, 3));
        assertTrue(e.getMessage().contains("min < max"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.logAlphaClip(5, -5));
        assertThrows(IllegalArgumentException.class, () -> b.logAlphaClip(Double.NaN, 5));

        assertThrows(IllegalArgumentException.class, () -> l.setSparseVd(l.getSparseVd().withKlWeight(-1)));
        assertThrows(IllegalArgumentException.class, () -> l.setSparseVd(l.getSparseVd().withTrainSetSize(0)));
        assertThrows(IllegalArgumentException.class, () -> l.setSparseVd(l.getSparseVd().withThreshold(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> l.setSparseVd(l.getSparseVd().withLogAlphaClip(Double.NaN, 8)));
    }

    @Test
    void inconsistentClipReadFromJsonIsRejected() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(TestNets.layer(2, 3, Activation.RELU, 10).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        String json = conf.toJson().replace("\"logAlphaMin\" : -8.0", "\"logAlphaMin\" : 9.0");
        RuntimeException e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(json));
        assertTrue(String.valueOf(e.getMessage()).contains("min=9.0"), e.getMessage());
    }

    @Test
    void paramsRegularizationAndMemoryReport() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().l2(0.1).l2Bias(0.2).updater(new Sgd(0.1)).list()
                .layer(TestNets.layer(5, 3, Activation.RELU, 10).biasInit(0.5).logSigma2Init(-6).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(List.of("0_W", "0_logSigma2", "0_b"), List.copyOf(net.paramTable().keySet()));
        assertArrayEquals(new long[]{5, 3}, net.getParam("0_W").shape());
        assertArrayEquals(new long[]{5, 3}, net.getParam("0_logSigma2").shape());
        assertArrayEquals(new long[]{1, 3}, net.getParam("0_b").shape());
        assertEquals(2 * 15 + 3, net.numParams());
        assertTrue(net.getParam("0_logSigma2").eq(-6).all());
        assertTrue(net.getParam("0_b").eq(0.5).all());
        assertTrue(net.getParam("0_W").std(true).getDouble() > 0.05);

        SparseVdDenseLayer l = (SparseVdDenseLayer) conf.getConf(0).getLayer();
        assertTrue(l.getRegularizationByParam("logSigma2").isEmpty());
        assertTrue(l.getRegularizationByParam("W").get(0) instanceof L2Regularization);
        assertTrue(l.getRegularizationByParam("b").get(0) instanceof L2Regularization);
        assertFalse(l.isPretrainParam("W"));

        // the regularization score ignores logσ² (KL weight 0 so that only L2 counts)
        SparseVdLayers.setKlWeight(net.getLayerWiseConfigurations(), 0.0);
        double reg = net.calcRegularizationScore(true);
        net.getParam("0_logSigma2").addi(3);
        assertEquals(reg, net.calcRegularizationScore(true), 1e-6);
        net.getParam("0_W").muli(2);
        assertNotEquals(reg, net.calcRegularizationScore(true), 1e-6);

        LayerMemoryReport report = l.getMemoryReport(InputType.feedForward(5));
        assertEquals(33, report.getParameterSize());
        assertTrue(report.getTotalMemoryBytes(32, org.deeplearning4j.nn.conf.memory.MemoryUseMode.TRAINING,
                org.deeplearning4j.nn.conf.CacheMode.NONE, DataType.FLOAT) > 33 * 4);
    }

    @Test
    void weightNoiseIsRejected() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .weightNoise(new org.deeplearning4j.nn.conf.weightnoise.DropConnect(0.5)).list()
                .layer(TestNets.layer(2, 3, Activation.RELU, 10).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        assertThrows(IllegalStateException.class, () -> new MultiLayerNetwork(conf).init());
    }

    @Test
    void scoreIncludesTheKlTerm() {
        MultiLayerNetwork net = TestNets.twoLayer(4, 5, 3, Activation.TANH, 50, 2.0, true, DataType.DOUBLE, new Sgd(0.1), 1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 4);
        INDArray y = TestNets.oneHot(7, 3, new java.util.Random(1), DataType.DOUBLE);
        org.nd4j.linalg.dataset.DataSet ds = new org.nd4j.linalg.dataset.DataSet(x, y);
        double kl = 0;
        for (int i = 0; i < 2; i++) {
            kl += SparseVdKl.klSum(net.getLayer(i).getParam("W"), net.getLayer(i).getParam("logSigma2"), -8, 8);
        }
        Nd4j.getRandom().setSeed(5);
        double withKl = net.score(ds, true);
        SparseVdLayers.setKlWeight(net.getLayerWiseConfigurations(), 0);
        Nd4j.getRandom().setSeed(5);
        double withoutKl = net.score(ds, true);
        assertEquals(2.0 / 50 * kl, withKl - withoutKl, 1e-9);

        // computeGradientAndScore reuses the KL sum of backprop: same score as score(ds, true)
        SparseVdLayers.setKlWeight(net.getLayerWiseConfigurations(), 2.0);
        net.setInput(x);
        net.setLabels(y);
        Nd4j.getRandom().setSeed(5);
        net.computeGradientAndScore();
        assertEquals(withKl, net.score(), 1e-9);
        // and a later direct call computes it afresh
        assertEquals(2.0 / 50 * kl, net.calcRegularizationScore(true), 1e-9);
    }

    @Test
    void trainingIsTheSameWithAndWithoutWorkspaces() {
        INDArray[] params = new INDArray[2];
        org.deeplearning4j.nn.conf.WorkspaceMode[] modes = {org.deeplearning4j.nn.conf.WorkspaceMode.ENABLED,
                org.deeplearning4j.nn.conf.WorkspaceMode.NONE};
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 4);
        INDArray y = TestNets.oneHot(8, 3, new java.util.Random(2), DataType.FLOAT);
        for (int m = 0; m < 2; m++) {
            MultiLayerNetwork net = TestNets.twoLayer(4, 6, 3, Activation.RELU, 100, 1.0, true, DataType.FLOAT,
                    new org.nd4j.linalg.learning.config.Adam(0.01), 3);
            net.getLayerWiseConfigurations().setTrainingWorkspaceMode(modes[m]);
            net.getLayerWiseConfigurations().setInferenceWorkspaceMode(modes[m]);
            for (int step = 0; step < 5; step++) {
                Nd4j.getRandom().setSeed(100 + step);
                net.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
            }
            params[m] = net.params().dup();
        }
        assertEquals(0.0, params[0].sub(params[1]).amaxNumber().doubleValue(), 1e-6);
    }
}
