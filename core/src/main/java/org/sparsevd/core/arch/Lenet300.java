package org.sparsevd.core.arch;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;

/**
 * LeNet-300-100 (784-300-100-10) as in the paper and the reference trainer.
 *
 * <p>{@link #sparseVd}: three {@link org.sparsevd.core.layers.SparseVdDenseLayer}s "dense1" (ReLU, skips its input gradient), "dense2" (ReLU)
 * and "dense3" (identity), followed by a parameter-free DL4J LossLayer "loss" with softmax + MCXENT. DL4J
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
        return of(s, Variant.SPARSEVD, 0.0);
    }

    /** The plain baseline's configuration (3 DL4J layers: dense1, dense2, dense3 = output). */
    public static MultiLayerConfiguration plain(ArchitectureSettings s) {
        return of(s, Variant.PLAIN, 0.0);
    }

    /**
     * @param dropRate the dropout probability of the {@link Variant#DROPOUT} variant (on the inputs of dense2 and
     *                 dense3), in [0, 1)
     */
    public static MultiLayerConfiguration of(ArchitectureSettings s, Variant variant, double dropRate) {
        return new LayerFactory(s, variant, dropRate)
                .dense("dense1", HIDDEN1, Activation.RELU, true)
                .dense("dense2", HIDDEN2, Activation.RELU, false)
                .output("dense3", OUTPUTS)
                .build(new WeightInitDistribution(new NormalDistribution(0.0, INIT_STD)), InputType.feedForward(INPUTS));
    }
}
