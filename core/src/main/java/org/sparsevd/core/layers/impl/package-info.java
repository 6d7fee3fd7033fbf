/**
 * The runtime side of the Sparse VD layers, which DL4J instantiates from the configurations of
 * {@link org.sparsevd.core.layers}: {@link org.sparsevd.core.layers.impl.SparseVdDenseLayerImpl} and
 * {@link org.sparsevd.core.layers.impl.SparseVdConvolutionLayerImpl} (forward pass with the local
 * reparameterization trick, backward pass, masked inference), sharing the KL term, noise and backprop cache of
 * {@link org.sparsevd.core.layers.impl.SparseVdLayerImpl} (its noise step fused in
 * {@link org.sparsevd.core.layers.impl.NoiseStepKernel}), and the plain
 * {@link org.sparsevd.core.layers.impl.NativeConvolutionLayerImpl}; all cache their forward pass as
 * {@link org.sparsevd.core.layers.impl.CachedForwardLayer} does, and the convolutions compute with libnd4j's
 * conv2d/conv2d_bp ops through {@link org.sparsevd.core.layers.impl.Conv2d}. They read their configuration through
 * {@link org.sparsevd.core.layers.spec} (or DL4J's ConvolutionLayer) only, so that the configurations can instantiate them without a package
 * cycle. Nothing here is serialized.
 */
package org.sparsevd.core.layers.impl;
