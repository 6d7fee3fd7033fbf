/**
 * Everything that reads and writes run and sweep files, on any Hadoop FileSystem: the file names
 * ({@link org.sparsevd.job.output.RunFiles}, {@link org.sparsevd.job.output.SweepFiles}), atomic writes of files and
 * directories ({@link org.sparsevd.job.output.RunOutput}), the JSON mapper, JSON Lines and configuration diffs
 * ({@link org.sparsevd.job.output.Json}), the metrics files ({@link org.sparsevd.job.output.MetricsWriter}),
 * checkpoints ({@link org.sparsevd.job.output.Checkpoint}), provenance ({@link org.sparsevd.job.output.Provenance})
 * and the readers of finished outputs ({@link org.sparsevd.job.output.RunReader},
 * {@link org.sparsevd.job.output.SweepRecord}). It depends on the configurations and records only.
 */
package org.sparsevd.job.output;
