/**
 * The optimizer step: DL4J's Adam with a one-pass update (the {@link org.sparsevd.core.optim.FusedAdam}
 * configuration, its {@link org.sparsevd.core.optim.FusedAdamUpdater} and the SIMD
 * {@link org.sparsevd.core.optim.AdamKernel}), and the step split by parameter for workers that share it
 * ({@link org.sparsevd.core.optim.StepShards}, which adds the workers' gradients with the
 * {@link org.sparsevd.core.optim.OrderedSumKernel}).
 */
package org.sparsevd.core.optim;
