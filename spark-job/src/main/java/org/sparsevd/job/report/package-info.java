/**
 * HTML reports with charts: of a train output ({@link org.sparsevd.job.report.RunReport}), of a sweep output
 * ({@link org.sparsevd.job.report.SweepReport}), and the KL approximation curve ({@link org.sparsevd.job.report.KlCurve}).
 * They read through {@link org.sparsevd.job.output}.
 */
package org.sparsevd.job.report;
