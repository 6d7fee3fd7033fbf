/**
 * What a Sparse VD layer's configuration and its runtime layer share: the one validated settings value
 * ({@link org.sparsevd.core.layers.spec.SparseVdSettings}: KL weight, N, threshold, log σ² init, logα clip range),
 * the view of a configuration that holds it ({@link org.sparsevd.core.layers.spec.SparseVdLayer}: its getters write
 * the settings as the layer's flat JSON properties, which are read back into one value) and the parameters W, logSigma2, b with their shapes and
 * initialization ({@link org.sparsevd.core.layers.spec.SparseVdParamInitializer}). Nothing here names a class of
 * {@link org.sparsevd.core.layers} or {@link org.sparsevd.core.layers.impl}, which both depend on it.
 */
package org.sparsevd.core.layers.spec;
