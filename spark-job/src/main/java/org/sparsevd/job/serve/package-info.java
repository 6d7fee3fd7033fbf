/**
 * What a trained network is used for afterwards: {@code export} (the Deep-Compression model file), {@code evaluate}
 * (accuracy, per-class accuracy, confusion matrix) and {@code predict} (batch scoring on Spark with the engine).
 */
package org.sparsevd.job.serve;
