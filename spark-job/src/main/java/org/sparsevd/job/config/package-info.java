/**
 * Validated, immutable run configurations: {@link org.sparsevd.job.config.TrainConfig} (data, model, schedule,
 * cluster, output, seed) and {@link org.sparsevd.job.config.SweepConfig}, each checked once
 * ({@link org.sparsevd.job.config.Checks}) with one-line {@link org.sparsevd.job.config.JobConfigException}s.
 */
package org.sparsevd.job.config;
