/**
 * Validated, immutable run configurations: {@link org.sparsevd.job.config.TrainConfig} (data, model, schedule,
 * cluster, output, seed) and {@link org.sparsevd.job.config.SweepConfig}, each checked once
 * ({@link org.sparsevd.job.config.Checks}) with one-line {@link org.sparsevd.job.config.JobConfigException}s that name
 * the option. A missing part that no option gives (a schedule, a cluster, a quantization) is a programming error: a
 * {@link java.lang.NullPointerException}.
 */
package org.sparsevd.job.config;
