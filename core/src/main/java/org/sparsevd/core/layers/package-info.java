/**
 * SparseVD layers for DL4J. {@link org.sparsevd.core.layers.SparseVdDenseLayer} is the configuration (JSON and
 * Java serializable, what Spark ships), {@link org.sparsevd.core.layers.SparseVdDenseLayerImpl} the runtime layer,
 * {@link org.sparsevd.core.layers.SparseVdParamInitializer} its parameters (W, logSigma2, b).
 * {@link org.sparsevd.core.layers.LogAlpha} and {@link org.sparsevd.core.layers.SparseVdKl} hold the shape-agnostic
 * logα/KL math shared with future (convolutional) SparseVD layers; {@link org.sparsevd.core.layers.SparseVdLayers}
 * changes the KL weight, N or threshold of all SparseVD layers of a network.
 */
package org.sparsevd.core.layers;
