package org.sparsevd.core.arch;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparsevd.core.layers.SparseVdDenseLayer;

/**
 * LeNet-300-100 (784-300-100-10) as in the paper and the reference trainer.
 *
 * <p>{@link #sparseVd}: three {@link SparseVdDenseLayer}s "dense1" (ReLU, skips its input gradient), "dense2" (ReLU)
 * and "dense3" (identity), followed by a parameter-free DL4J {@link LossLayer} "loss" with softmax + MCXENT. DL4J
 * needs an output layer last; a loss layer keeps the SparseVD layer a single implementation (no second,
 * output-layer copy of the forward/backward code) and costs one softmax over [minibatch, 10].
 *
 * <p>{@link #plain}: the same shape with DL4J's DenseLayer/OutputLayer ("dense1", "dense2", "dense3"), for baselines
 * and benchmarks. Both: weights ~ N(0, 0.02) as the reference, biases 0, the settings' updater, seed and data type;
 * input is a flat 784-vector per example.
 */
public final class Lenet300 {

    public static final int INPUTS = 784;
    public static final int HIDDEN1 = 300;
    public static final int HIDDEN2 = 100;
    public static final int OUTPUTS = 10;
    /** Standard deviation of the initial weights (the reference's normal_(0, 0.02)). */
    public static final double INIT_STD = 0.02;

    private Lenet300() {
    }

    /** The SparseVD network's configuration (4 DL4J layers: dense1, dense2, dense3, loss). */
    public static MultiLayerConfiguration sparseVd(ArchitectureSettings s) {
        return base(s).list()
                .layer(sparse(s, "dense1", INPUTS, HIDDEN1, Activation.RELU, true))
                .layer(sparse(s, "dense2", HIDDEN1, HIDDEN2, Activation.RELU, false))
                .layer(sparse(s, "dense3", HIDDEN2, OUTPUTS, Activation.IDENTITY, false))
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .name("loss").build())
                .setInputType(InputType.feedForward(INPUTS))
                .build();
    }

    /** The plain baseline's configuration (3 DL4J layers: dense1, dense2, dense3 = output). */
    public static MultiLayerConfiguration plain(ArchitectureSettings s) {
        return base(s).list()
                .layer(new DenseLayer.Builder().name("dense1").nIn(INPUTS).nOut(HIDDEN1).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense2").nIn(HIDDEN1).nOut(HIDDEN2).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("dense3").nIn(HIDDEN2)
                        .nOut(OUTPUTS).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(INPUTS))
                .build();
    }

    private static NeuralNetConfiguration.Builder base(ArchitectureSettings s) {
        return new NeuralNetConfiguration.Builder()
                .seed(s.seed())
                .dataType(s.dataType())
                .updater(s.updater())
                .weightInit(new NormalDistribution(0.0, INIT_STD))
                .biasInit(0.0);
    }

    private static SparseVdDenseLayer sparse(ArchitectureSettings s, String name, int nIn, int nOut, Activation act,
                                             boolean first) {
        return new SparseVdDenseLayer.Builder().name(name).nIn(nIn).nOut(nOut).activation(act)
                .trainSetSize(s.trainSetSize())
                .klWeight(s.klWeight())
                .threshold(s.threshold())
                .logSigma2Init(s.logSigma2Init())
                .logAlphaClip(s.logAlphaMin(), s.logAlphaMax())
                .skipInputGradient(first)
                .build();
    }
}
