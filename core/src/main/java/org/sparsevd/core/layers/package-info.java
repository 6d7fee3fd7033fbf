/**
 * SparseVD layers for DL4J. {@link org.sparsevd.core.layers.SparseVdDenseLayer} and
 * {@link org.sparsevd.core.layers.SparseVdConvolutionLayer} are the configurations (JSON and Java serializable, what
 * Spark ships), {@link org.sparsevd.core.layers.impl.SparseVdDenseLayerImpl} and
 * {@link org.sparsevd.core.layers.impl.SparseVdConvolutionLayerImpl} the runtime layers (their KL term in
 * {@link org.sparsevd.core.layers.impl.SparseVdLayerImpl}), {@link org.sparsevd.core.layers.SparseVdParamInitializer}
 * their parameters (W, logSigma2, b). {@link org.sparsevd.core.kl.LogAlpha} and
 * {@link org.sparsevd.core.kl.SparseVdKl} hold the shape-agnostic logα/KL math; {@link org.sparsevd.core.layers.SparseVdLayers}
 * changes the KL weight, N or threshold of all SparseVD layers of a network.
 */
package org.sparsevd.core.layers;
