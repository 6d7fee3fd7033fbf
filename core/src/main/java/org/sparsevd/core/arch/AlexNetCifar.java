package org.sparsevd.core.arch;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.nd4j.linalg.activations.Activation;

/**
 * The small AlexNet-style CIFAR-10 network of the random-labels experiments (Zhang et al., 2017, "Understanding deep
 * learning requires rethinking generalization", appendix; the TensorFlow CIFAR-10 tutorial model) that the review
 * uses: two modules of "conv" 64@5×5 (Same, ReLU) – max pool 3×3 stride 2 (Same) – local response normalization,
 * then "dense1" 384 – "dense2" 192 (ReLU) – "dense3" 10. Input 32×32×3 as a flat CHW vector (Zhang et al. crop to
 * 28×28; this network keeps the full image: 64·8·8 = 4096 features reach dense1). He (ReLU) initialization.
 */
public final class AlexNetCifar {

    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int OUTPUTS = 10;
    /** Convolution modules (conv – pool – norm). */
    private static final int MODULES = 2;

    private AlexNetCifar() {
    }

    /**
     * @param dropRate the dropout probability of the {@link Variant#DROPOUT} variant (on the inputs of dense1,
     *                 dense2 and dense3)
     */
    public static MultiLayerConfiguration of(ArchitectureSettings s, Variant variant, double dropRate) {
        LayerFactory f = new LayerFactory(s, variant, dropRate);
        for (int module = 1; module <= MODULES; module++) {
            f.conv("conv" + module, 64, 5, ConvolutionMode.Same, Activation.RELU, module == 1)
                    .maxPool("pool" + module, 3, 2, ConvolutionMode.Same)
                    .add(new LocalResponseNormalization.Builder().name("norm" + module).build());
        }
        return f.dense("dense1", 384, Activation.RELU, false)
                .dense("dense2", 192, Activation.RELU, false)
                .output("dense3", OUTPUTS)
                .build(new WeightInitRelu(), InputType.convolutionalFlat(SIDE, SIDE, CHANNELS));
    }
}
