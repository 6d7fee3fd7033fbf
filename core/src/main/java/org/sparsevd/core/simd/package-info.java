/**
 * Fused element-wise kernels on the JDK's Vector API over ND4J's host memory (CPU backend only):
 * {@link org.sparsevd.core.simd.DirectFloats} says whether they can run and gives direct access to float arrays,
 * {@link org.sparsevd.core.simd.FusedKlKernel} computes the KL term's value and gradient in one pass.
 */
package org.sparsevd.core.simd;
