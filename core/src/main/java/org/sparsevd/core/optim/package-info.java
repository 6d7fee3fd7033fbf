/**
 * DL4J's Adam with a one-pass update: the {@link org.sparsevd.core.optim.FusedAdam} configuration, its
 * {@link org.sparsevd.core.optim.FusedAdamUpdater} and the SIMD {@link org.sparsevd.core.optim.AdamKernel}.
 */
package org.sparsevd.core.optim;
