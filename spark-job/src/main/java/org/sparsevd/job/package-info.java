/**
 * The {@code sparsevd} command line ({@link org.sparsevd.job.Main}) and one {@code train} run end to end
 * ({@link org.sparsevd.job.TrainJob}).
 */
package org.sparsevd.job;
