package org.sparsevd.core.layers;

import org.sparsevd.core.layers.spec.SparseVdParamInitializer;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;
import org.sparsevd.core.kl.LogAlpha;

/** Small SparseVD networks for the tests. */
final class TestNets {

    private TestNets() {
    }

    static SparseVdDenseLayer.Builder layer(int nIn, int nOut, Activation act, long n) {
        return new SparseVdDenseLayer.Builder().nIn(nIn).nOut(nOut).activation(act).trainSetSize(n);
    }

    /** nIn-hidden-nOut: two SparseVD layers (hidden activation given, then identity) and a softmax/MCXENT loss layer. */
    static MultiLayerNetwork twoLayer(int nIn, int hidden, int nOut, Activation hiddenAct, long n, double klWeight,
                                      boolean skipFirst, DataType dt, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(dt).updater(updater)
                .weightInit(new NormalDistribution(0, 0.5))
                .list()
                .layer(layer(nIn, hidden, hiddenAct, n).klWeight(klWeight).skipInputGradient(skipFirst).name("d1").build())
                .layer(layer(hidden, nOut, Activation.IDENTITY, n).klWeight(klWeight).name("d2").build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).name("loss").build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork gradCheckNet(boolean skipFirst, long seed) {
        return twoLayer(4, 5, 3, Activation.TANH, 10, 1.0, skipFirst, DataType.DOUBLE, new NoOp(), seed);
    }

    /**
     * Sets W and logσ² of a SparseVD layer so that the unclipped logα is spread uniformly over [lo, hi], away
     * from the clip bounds by at least {@code margin}, with posterior std σ = |W|·sqrt(α) of moderate size.
     */
    static void spreadLogAlpha(org.deeplearning4j.nn.api.Layer layer, double lo, double hi, double margin,
                               double clipMin, double clipMax, Random rnd) {
        INDArray w = layer.getParam(SparseVdParamInitializer.WEIGHT_KEY);
        INDArray ls = layer.getParam(SparseVdParamInitializer.LOG_SIGMA2_KEY);
        for (long i = 0; i < w.length(); i++) {
            double la;
            do {
                la = lo + (hi - lo) * rnd.nextDouble();
            } while (Math.abs(la - clipMin) < margin || Math.abs(la - clipMax) < margin);
            double sigma = 0.05 + 0.95 * rnd.nextDouble();
            double absW = Math.min(2.0, Math.max(1e-3, sigma * Math.exp(-la / 2)));
            double wv = rnd.nextBoolean() ? absW : -absW;
            w.putScalar(i, wv);
            ls.putScalar(i, la + Math.log(wv * wv + LogAlpha.EPS));
        }
    }

    /**
     * GradientCheckUtil in double precision (ε = 1e-6, relative error ≤ 1e-5 unless the absolute error is below
     * {@code minAbsoluteError}), reseeding ND4J's RNG before every forward pass so each sees the same noise.
     */
    static boolean gradientsMatch(MultiLayerNetwork net, INDArray x, INDArray y, long noiseSeed,
                                  double minAbsoluteError) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(minAbsoluteError)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false)
                .callEachIter(n -> Nd4j.getRandom().setSeed(noiseSeed)));
    }

    static INDArray oneHot(int n, int classes, Random rnd, DataType dt) {
        INDArray y = Nd4j.zeros(dt, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, rnd.nextInt(classes), 1.0);
        }
        return y;
    }
}
