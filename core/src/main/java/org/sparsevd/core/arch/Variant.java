package org.sparsevd.core.arch;

import java.util.Locale;

/**
 * Which layers an architecture is built with: the Sparse VD network, or one of the baselines the paper compares
 * it with (Molchanov et al., 2017, sec. 5: the same network trained plainly, and with binary dropout).
 */
public enum Variant {
    /** Every weight layer Sparse VD (dense and convolutional), a softmax loss layer last. */
    SPARSEVD,
    /**
     * The same shapes with DL4J's plain DenseLayer, {@link org.sparsevd.core.layers.NativeConvolutionLayer} (DL4J's
     * ConvolutionLayer on libnd4j's conv2d ops) and a softmax output layer.
     */
    PLAIN,
    /** As {@link #PLAIN}, with binary dropout on the input of every fully connected layer but the first layer. */
    DROPOUT;

    /** The name on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
