/**
 * The runtime side of the Sparse VD layers, which DL4J instantiates from the configurations of
 * {@link org.sparsevd.core.layers}: {@link org.sparsevd.core.layers.impl.SparseVdDenseLayerImpl} and
 * {@link org.sparsevd.core.layers.impl.SparseVdConvolutionLayerImpl} (forward pass with the local
 * reparameterization trick, backward pass, masked inference), sharing the KL term, noise and backprop cache of
 * {@link org.sparsevd.core.layers.impl.SparseVdLayerImpl}. They read their configuration through
 * {@link org.sparsevd.core.layers.spec} only, so that the configurations can instantiate them without a package
 * cycle. Nothing here is serialized.
 */
package org.sparsevd.core.layers.impl;
