package org.sparsevd.job.run;

/**
 * How a run can be watched while it trains; none of it changes what is trained, so it is not part of the run's
 * configuration (a run resumed with other choices is the same run).
 *
 * @param progress progress lines inside an epoch ({@link org.sparsevd.job.train.EpochProgress}); off with
 *                 {@code --quiet}
 * @param report   the run's HTML report rewritten after every epoch ({@code --report})
 */
public record Watch(boolean progress, boolean report) {
    /** Progress lines, no report: the default of {@code train} and {@code sweep}. */
    public static final Watch DEFAULT = new Watch(true, false);
}
