/**
 * What the fused element-wise kernels on the JDK's Vector API (the KL term's {@code kl.FusedKlKernel}, Adam's
 * {@code optim.AdamKernel}) share, over ND4J's host memory (CPU backend only):
 * {@link org.sparsevd.core.simd.DirectFloats} says whether they can run and gives direct access to float arrays,
 * {@link org.sparsevd.core.simd.Lanes} holds the lane species, the bit-stable exp and log and the lane version of
 * {@link org.sparsevd.core.simd.NormalNoise}, the counter-based generator of the Sparse VD layers' noise ε (whose
 * scalar version loads without the Vector API). Nothing here depends on the packages that use it.
 */
package org.sparsevd.core.simd;
