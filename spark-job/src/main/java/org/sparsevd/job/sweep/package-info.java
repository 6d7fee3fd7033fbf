/**
 * A sweep over KL weights and thresholds on one Spark context: {@link org.sparsevd.job.sweep.SweepJob} runs a
 * training run per KL weight and evaluates it under every threshold; {@link org.sparsevd.job.sweep.SweepOutput}
 * records the points and resumes an interrupted sweep.
 */
package org.sparsevd.job.sweep;
