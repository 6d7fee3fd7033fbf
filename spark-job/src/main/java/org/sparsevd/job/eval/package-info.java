/** Test accuracy of the masked network on Spark, under any number of thresholds in one pass ({@link org.sparsevd.job.eval.MaskedEvaluator}). */
package org.sparsevd.job.eval;
