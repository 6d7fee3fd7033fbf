/**
 * Distributed training: the data cached as blocks on the executors ({@link org.sparsevd.job.train.TrainingData},
 * {@link org.sparsevd.job.train.CachedBlocks}), the networks ({@link org.sparsevd.job.train.Models}), the
 * training loop ({@link org.sparsevd.job.train.SparkTrainer}: gradient all-reduce or parameter averaging) and what runs
 * on each executor per round, on networks kept in its JVM from round to round
 * ({@link org.sparsevd.job.train.ReplicaPool}).
 */
package org.sparsevd.job.train;
