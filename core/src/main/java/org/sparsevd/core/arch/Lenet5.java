package org.sparsevd.core.arch;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;

/**
 * LeNet-5-Caffe as in the paper (Molchanov et al., 2017, sec. 5.1) and the reference trainer: "conv1" 20@5×5 – max
 * pool 2 – "conv2" 50@5×5 – max pool 2 – "dense1" 500 – "dense2" 10, ReLU after every hidden layer, 28×28×1 input
 * given as a flat 784-vector per example. In the Sparse VD variant all four weight layers are Sparse VD (430,500
 * weights); weights ~ N(0, 0.02) as in the reference, biases 0.
 */
public final class Lenet5 {

    public static final int SIDE = 28;
    public static final int OUTPUTS = 10;

    private Lenet5() {
    }

    /**
     * @param dropRate the dropout probability of the {@link Variant#DROPOUT} variant (on the inputs of dense1 and
     *                 dense2), in [0, 1)
     */
    public static MultiLayerConfiguration of(ArchitectureSettings s, Variant variant, double dropRate) {
        return new LayerFactory(s, variant, dropRate)
                .conv("conv1", 20, 5, ConvolutionMode.Truncate, Activation.RELU, true)
                .maxPool("pool1", 2, 2, ConvolutionMode.Truncate)
                .conv("conv2", 50, 5, ConvolutionMode.Truncate, Activation.RELU, false)
                .maxPool("pool2", 2, 2, ConvolutionMode.Truncate)
                .dense("dense1", 500, Activation.RELU, false)
                .output("dense2", OUTPUTS)
                .build(new WeightInitDistribution(new NormalDistribution(0.0, Lenet300.INIT_STD)),
                        InputType.convolutionalFlat(SIDE, SIDE, 1));
    }
}
