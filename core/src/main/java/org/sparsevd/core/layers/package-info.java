/**
 * The configurations of the Sparse VD layers for DL4J, which are what is serialized (in {@code model.zip}, in
 * checkpoints, and in what Spark ships to executors): {@link org.sparsevd.core.layers.SparseVdDenseLayer} and
 * {@link org.sparsevd.core.layers.SparseVdConvolutionLayer} with their builders, and
 * {@link org.sparsevd.core.layers.SparseVdLayers}, which changes the KL weight, N or threshold of all Sparse VD layers
 * of a network; {@link org.sparsevd.core.layers.NativeConvolutionLayer}, the plain variants' convolution (DL4J's
 * ConvolutionLayer on libnd4j's conv2d ops), and {@link org.sparsevd.core.layers.Conv2dLayerBuilder}, what the two
 * convolutions' builders share; {@link org.sparsevd.core.layers.FlatImagePreProcessor}, how flat images enter a
 * network whose first convolution skips its input gradient. What both a configuration and its runtime layer see (the settings, the common view, the parameters)
 * is in {@link org.sparsevd.core.layers.spec}; the runtime layers, which the configurations instantiate, are in
 * {@link org.sparsevd.core.layers.impl}; the math in {@link org.sparsevd.core.kl}. The class names are in the saved
 * JSON: do not move these classes.
 */
package org.sparsevd.core.layers;
