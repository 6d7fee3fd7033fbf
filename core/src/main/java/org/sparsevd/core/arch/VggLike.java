package org.sparsevd.core.arch;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.nd4j.linalg.activations.Activation;

/**
 * The paper's VGG-like network for CIFAR-10 (Molchanov et al., 2017, sec. 5.2; Zagoruyko's "cifar.torch" VGG with
 * batch normalization): 13 convolutions of 3×3 (Same padding) in five blocks of 64-64, 128-128, 256-256-256,
 * 512-512-512 and 512-512-512 channels, each followed by batch normalization and ReLU, a 2×2 max pool after each
 * block, then "fc1" 512 – batch norm – ReLU – "fc2" 10. Every channel count and fc1 are multiplied by the width
 * {@code k} (the paper's scale-up of the network, sec. 5.2), rounded, at least 1. Input 32×32×3 as a flat CHW
 * vector. The convolutions are named conv1…conv13; batch normalization layers are plain DL4J layers in every
 * variant. He (ReLU) initialization.
 */
public final class VggLike {

    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int OUTPUTS = 10;
    /** Channels of the convolutions at width 1, 0 marking a 2×2 max pool. */
    private static final int[] PLAN = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
    private static final int FC = 512;

    private VggLike() {
    }

    /**
     * @param dropRate the dropout probability of the {@link Variant#DROPOUT} variant (on the inputs of fc1 and fc2)
     * @param width    multiplier of every layer's width, finite and &gt; 0
     */
    public static MultiLayerConfiguration of(ArchitectureSettings s, Variant variant, double dropRate, double width) {
        if (!Double.isFinite(width) || width <= 0) {
            throw new IllegalArgumentException("width multiplier must be finite and > 0, got " + width);
        }
        LayerFactory f = new LayerFactory(s, variant, dropRate);
        int conv = 0;
        int pool = 0;
        for (int channels : PLAN) {
            if (channels == 0) {
                f.maxPool("pool" + ++pool, 2, 2, ConvolutionMode.Truncate);
            } else {
                String name = "conv" + ++conv;
                f.conv(name, scaled(channels, width), 3, ConvolutionMode.Same, Activation.IDENTITY, conv == 1).batchNormRelu(name);
            }
        }
        return f.dense("fc1", scaled(FC, width), Activation.IDENTITY, false).batchNormRelu("fc1")
                .output("fc2", OUTPUTS)
                .build(new WeightInitRelu(), InputType.convolutionalFlat(SIDE, SIDE, CHANNELS));
    }

    private static int scaled(int channels, double width) {
        return (int) Math.max(1, Math.round(channels * width));
    }
}
