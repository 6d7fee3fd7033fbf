package org.sparsevd.core.arch;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparsevd.core.layers.FlatImagePreProcessor;
import org.sparsevd.core.layers.NativeConvolutionLayer;
import org.sparsevd.core.layers.SparseVdConvolutionLayer;
import org.sparsevd.core.layers.SparseVdDenseLayer;
import org.sparsevd.core.layers.SparseVdLayerBuilder;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the layers of an architecture in one {@link Variant}: the same names and shapes whichever the variant, so
 * that a plain network's parameters map onto the Sparse VD one by layer name ({@code train --init-from}).
 */
final class LayerFactory {

    private final ArchitectureSettings settings;
    private final Variant variant;
    private final double dropRate;
    private final List<Layer> layers = new ArrayList<>();

    /**
     * @param dropRate probability of dropping a unit in the {@link Variant#DROPOUT} variant, in [0, 1)
     */
    LayerFactory(ArchitectureSettings settings, Variant variant, double dropRate) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.variant = Objects.requireNonNull(variant, "variant");
        if (!(dropRate >= 0 && dropRate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropRate);
        }
        this.dropRate = dropRate;
    }

    /**
     * The configuration of the layers added so far, with the network-wide settings (seed, data type, updater, the
     * weight init, zero biases) and the input type (which sets every nIn and adds the preprocessors; flat images
     * enter through a {@link FlatImagePreProcessor}, which lets a first convolution skip its input gradient).
     */
    MultiLayerConfiguration build(IWeightInit weightInit, InputType input) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(settings.seed())
                .dataType(settings.dataType())
                .updater(settings.updater())
                .weightInit(weightInit)
                .biasInit(0.0)
                .list();
        layers.forEach(list::layer);
        if (input instanceof InputType.InputTypeConvolutionalFlat flat) {
            list.inputPreProcessor(0, new FlatImagePreProcessor(flat.getHeight(), flat.getWidth(), flat.getDepth()));
        }
        return list.setInputType(input).build();
    }

    /**
     * A 2-D convolution with a kernel of k×k, stride 1 (a {@link NativeConvolutionLayer} unless Sparse VD); the
     * network's first layer skips its input gradient.
     */
    LayerFactory conv(String name, int nOut, int k, ConvolutionMode mode, Activation act, boolean first) {
        if (variant == Variant.SPARSEVD) {
            layers.add(sparse(new SparseVdConvolutionLayer.Builder(k, k)).name(name).nOut(nOut).convolutionMode(mode)
                    .activation(act).skipInputGradient(first).build());
        } else {
            layers.add(new NativeConvolutionLayer.Builder(k, k).name(name).nOut(nOut).convolutionMode(mode)
                    .activation(act).skipInputGradient(first).build());
        }
        return this;
    }

    /** Max pooling over k×k windows with stride s. */
    LayerFactory maxPool(String name, int k, int s, ConvolutionMode mode) {
        layers.add(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name(name).kernelSize(k, k)
                .stride(s, s).convolutionMode(mode).build());
        return this;
    }

    /** Batch normalization then ReLU (plain DL4J layers in every variant). */
    LayerFactory batchNormRelu(String name) {
        layers.add(new BatchNormalization.Builder().name(name + "bn").build());
        layers.add(new ActivationLayer.Builder().name(name + "relu").activation(Activation.RELU).build());
        return this;
    }

    /** Any other parameter-free (or plain) layer, the same in every variant. */
    LayerFactory add(Layer layer) {
        layers.add(layer);
        return this;
    }

    /**
     * A fully connected layer. In the dropout variant its input is dropped out unless it is the network's first
     * layer; a Sparse VD first layer skips its input gradient.
     */
    LayerFactory dense(String name, int nOut, Activation act, boolean first) {
        if (variant == Variant.SPARSEVD) {
            layers.add(sparse(new SparseVdDenseLayer.Builder()).name(name).nOut(nOut).activation(act)
                    .skipInputGradient(first).build());
        } else {
            DenseLayer.Builder b = new DenseLayer.Builder().name(name).nOut(nOut).activation(act);
            if (variant == Variant.DROPOUT && !first) {
                b.dropOut(new Dropout(1.0 - dropRate));
            }
            layers.add(b.build());
        }
        return this;
    }

    /**
     * The classifier: a Sparse VD dense layer (identity) and a softmax/MCXENT loss layer "loss", or a plain softmax
     * output layer of the same name (dropout on its input in the dropout variant).
     */
    LayerFactory output(String name, int nOut) {
        if (variant == Variant.SPARSEVD) {
            dense(name, nOut, Activation.IDENTITY, false);
            layers.add(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                    .name("loss").build());
        } else {
            OutputLayer.Builder b = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name(name).nOut(nOut)
                    .activation(Activation.SOFTMAX);
            if (variant == Variant.DROPOUT) {
                b.dropOut(new Dropout(1.0 - dropRate));
            }
            layers.add(b.build());
        }
        return this;
    }

    /** A Sparse VD layer's builder with the network's settings. */
    private <B extends SparseVdLayerBuilder<B>> B sparse(B b) {
        return b.updateSparseVd(unset -> settings.sparseVd());
    }
}
