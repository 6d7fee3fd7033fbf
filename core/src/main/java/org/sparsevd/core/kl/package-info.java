/**
 * The Sparse VD math that does not depend on a layer shape: the approximation of −KL(q‖p) of eq. 14
 * ({@link org.sparsevd.core.kl.KlApproximation}, checked against numerical integration in
 * {@link org.sparsevd.core.kl.KlNumeric}), logα and the inference mask ({@link org.sparsevd.core.kl.LogAlpha}), and
 * the KL term's value and gradient with respect to W and log σ² ({@link org.sparsevd.core.kl.SparseVdKl}), computed
 * in one fused SIMD pass by {@link org.sparsevd.core.kl.FusedKlKernel} where {@link org.sparsevd.core.simd} can run.
 */
package org.sparsevd.core.kl;
