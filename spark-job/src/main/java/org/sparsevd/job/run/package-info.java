/**
 * One {@code train} run end to end ({@link org.sparsevd.job.run.TrainJob}: data, Spark, the epochs, metrics,
 * checkpoints, the model and its report), used by {@code train} and by every run of a sweep, and how a run can be
 * watched ({@link org.sparsevd.job.run.Watch}).
 */
package org.sparsevd.job.run;
