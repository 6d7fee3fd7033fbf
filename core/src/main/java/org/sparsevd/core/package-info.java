/**
 * Sparse Variational Dropout (Molchanov, Ashukha, Vetrov, "Variational Dropout Sparsifies Deep Neural Networks",
 * ICML 2017) for DL4J: the KL approximation and logα math ({@link org.sparsevd.core.kl}), the Sparse VD layer
 * configurations ({@link org.sparsevd.core.layers}) and runtime layers ({@link org.sparsevd.core.layers.impl}), fused
 * SIMD kernels ({@link org.sparsevd.core.simd}, {@link org.sparsevd.core.optim}), sparsity reports
 * ({@link org.sparsevd.core.sparsity}), the KL weight schedule ({@link org.sparsevd.core.schedule}), ready-made
 * architectures ({@link org.sparsevd.core.arch}), reproducible seeds ({@link org.sparsevd.core.seed}) and the
 * native thread settings ({@link org.sparsevd.core.runtime}).
 */
package org.sparsevd.core;
