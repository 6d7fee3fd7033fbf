/**
 * What a run and a sweep measure, as the records written to their files: per epoch
 * ({@link org.sparsevd.job.metrics.EpochMetrics}, {@link org.sparsevd.job.metrics.LayerMetrics}) and per sweep point
 * ({@link org.sparsevd.job.metrics.SweepPoint} with its {@link org.sparsevd.job.metrics.PointProvenance}), and the
 * Pareto front and selection rule over sweep points ({@link org.sparsevd.job.metrics.SweepSelection}).
 */
package org.sparsevd.job.metrics;
