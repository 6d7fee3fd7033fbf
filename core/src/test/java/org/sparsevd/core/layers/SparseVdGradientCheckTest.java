package org.sparsevd.core.layers;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import org.sparsevd.core.kl.LogAlpha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backprop of the SparseVD dense layer against finite differences, in double precision, with the KL term on
 * (klWeight 1, N = 10) and logα inside and outside the clip range. The RNG is reseeded before every forward pass,
 * so each evaluation sees the same noise.
 */
@ExtendWith(DoublePrecision.class)
class SparseVdGradientCheckTest {

    private static final long NOISE_SEED = 12345;

    private static MultiLayerNetwork preparedNet(boolean skipFirst, Random rnd) {
        MultiLayerNetwork net = TestNets.gradCheckNet(skipFirst, 7);
        for (int i = 0; i < 2; i++) {
            TestNets.spreadLogAlpha(net.getLayer(i), -12, 12, 0.1, -8, 8, rnd);
        }
        return net;
    }

    private static int countOutsideClip(MultiLayerNetwork net) {
        int outside = 0;
        for (int i = 0; i < 2; i++) {
            INDArray la = LogAlpha.unclipped(net.getLayer(i).getParam("W"), net.getLayer(i).getParam("logSigma2"));
            for (long j = 0; j < la.length(); j++) {
                double v = la.getDouble(j);
                if (v < -8 || v > 8) {
                    outside++;
                }
            }
        }
        return outside;
    }

    private static boolean check(MultiLayerNetwork net, INDArray x, INDArray y) {
        return TestNets.gradientsMatch(net, x, y, NOISE_SEED, 1e-9);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithKlAndClipping() {
        Random rnd = new Random(1);
        MultiLayerNetwork net = preparedNet(false, rnd);
        assertTrue(countOutsideClip(net) >= 10, "the check must include clipped logα values");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 4).subi(0.5).muli(4);
        INDArray y = TestNets.oneHot(6, 3, rnd, DataType.DOUBLE);
        assertTrue(check(net, x, y));
    }

    @Test
    void gradientsMatchWithSkipInputGradient() {
        Random rnd = new Random(2);
        MultiLayerNetwork net = preparedNet(true, rnd);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(0.5).muli(4);
        INDArray y = TestNets.oneHot(5, 3, rnd, DataType.DOUBLE);
        assertTrue(check(net, x, y));
    }

    @Test
    void gradientsMatchWithInputDropoutOnTheSecondLayer() {
        Random rnd = new Random(6);
        MultiLayerNetwork net = preparedNet(false, rnd);
        net.getLayerWiseConfigurations().getConf(1).getLayer()
                .setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(0.7));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(0.5).muli(4);
        INDArray y = TestNets.oneHot(5, 3, rnd, DataType.DOUBLE);
        assertTrue(check(net, x, y));
    }

    @Test
    void klTermMattersInTheCheck() {
        // With a wrong KL gradient scale the check must fail: corrupt N in the gradient only by changing it between
        // the two calls is impossible, so instead verify that the KL gradient is a large part of the total.
        Random rnd = new Random(3);
        MultiLayerNetwork net = preparedNet(false, rnd);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 4);
        INDArray y = TestNets.oneHot(4, 3, rnd, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(NOISE_SEED);
        INDArray withKl = net.calculateGradients(x, y, null, null).getFirst().gradient().dup();
        SparseVdLayers.setKlWeight(net.getLayerWiseConfigurations(), 0.0);
        Nd4j.getRandom().setSeed(NOISE_SEED);
        INDArray withoutKl = net.calculateGradients(x, y, null, null).getFirst().gradient().dup();
        double klPart = withKl.sub(withoutKl).norm2Number().doubleValue();
        assertTrue(klPart > 0.1 * withoutKl.norm2Number().doubleValue(), "KL gradient part too small: " + klPart);
    }

    @Test
    void inputGradientMatchesFiniteDifferences() {
        Random rnd = new Random(4);
        MultiLayerNetwork net = preparedNet(false, rnd);
        int mb = 3;
        INDArray x = Nd4j.rand(DataType.DOUBLE, mb, 4).subi(0.5).muli(4);
        INDArray y = TestNets.oneHot(mb, 3, rnd, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(NOISE_SEED);
        Pair<Gradient, INDArray> p = net.calculateGradients(x, y, null, null);
        INDArray eps = p.getSecond();
        assertNotNull(eps);
        double h = 1e-6;
        double maxRel = 0;
        for (int i = 0; i < mb; i++) {
            for (int j = 0; j < 4; j++) {
                double orig = x.getDouble(i, j);
                x.putScalar(i, j, orig + h);
                Nd4j.getRandom().setSeed(NOISE_SEED);
                double plus = net.score(new DataSet(x, y), true);
                x.putScalar(i, j, orig - h);
                Nd4j.getRandom().setSeed(NOISE_SEED);
                double minus = net.score(new DataSet(x, y), true);
                x.putScalar(i, j, orig);
                double numeric = (plus - minus) / (2 * h);
                double analytic = eps.getDouble(i, j) / mb; // score is the minibatch mean
                double abs = Math.abs(numeric - analytic);
                double rel = abs / Math.max(1e-12, Math.abs(numeric) + Math.abs(analytic));
                if (abs > 1e-8) { // below that: finite-difference round-off (as GradientCheckUtil's minAbsoluteError)
                    maxRel = Math.max(maxRel, rel);
                }
                assertTrue(Math.abs(analytic) > 1e-6 || Math.abs(numeric) > 1e-6 || abs < 1e-8,
                        "d score/d x[" + i + "," + j + "]: " + analytic + " vs " + numeric);
            }
        }
        assertTrue(maxRel < 1e-5, "max relative error " + maxRel);
        // and a wrong input gradient would be caught: the noise part of dL/dx is not negligible here
        SparseVdDenseLayer first = (SparseVdDenseLayer) net.getLayer(0).conf().getLayer();
        first.setSparseVd(first.getSparseVd().withSkipInputGradient(true));
        assertNull(net.calculateGradients(x, y, null, null).getSecond());
    }

    @Test
    void skipInputGradientReturnsNoEpsilon() {
        Random rnd = new Random(5);
        MultiLayerNetwork net = preparedNet(true, rnd);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4);
        INDArray y = TestNets.oneHot(3, 3, rnd, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(NOISE_SEED);
        Pair<Gradient, INDArray> skipped = net.calculateGradients(x, y, null, null);
        assertNull(skipped.getSecond());
        // and the parameter gradients equal those of the same net computing its input gradient
        INDArray g1 = skipped.getFirst().gradient().dup();
        SparseVdDenseLayer first = (SparseVdDenseLayer) net.getLayer(0).conf().getLayer();
        first.setSparseVd(first.getSparseVd().withSkipInputGradient(false));
        Nd4j.getRandom().setSeed(NOISE_SEED);
        Pair<Gradient, INDArray> full = net.calculateGradients(x, y, null, null);
        assertNotNull(full.getSecond());
        assertEquals(g1, full.getFirst().gradient());
    }
}
