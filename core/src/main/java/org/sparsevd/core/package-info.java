/**
 * Sparse Variational Dropout (Molchanov, Ashukha, Vetrov, "Variational Dropout Sparsifies Deep Neural Networks",
 * ICML 2017) for DL4J: the KL approximation ({@link org.sparsevd.core.kl}), SparseVD layers
 * ({@link org.sparsevd.core.layers}), sparsity reports ({@link org.sparsevd.core.sparsity}), the KL weight
 * schedule ({@link org.sparsevd.core.schedule}), ready-made architectures ({@link org.sparsevd.core.arch}) and the
 * per-minibatch noise seeding used by the trainers ({@link org.sparsevd.core.train}).
 */
package org.sparsevd.core;
