package org.sparsevd.job.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * Early stopping of a sweep's training runs: a run whose validation accuracy after epoch {@code e} ({@code e >=
 * after}) is below a bar set by the runs before it that reach epoch {@code e} is stopped. The bar is
 * <ul>
 *   <li>{@link Rule#MEDIAN}: Optuna's MedianPruner rule, the median of their validation accuracies after epoch
 *       {@code e} (the mean of the two middle ones for an even count);</li>
 *   <li>{@link Rule#FLOOR}: the best of them less a margin ({@code --prune-margin}), so that only a run clearly
 *       worse than the others is stopped. A sweep over KL weights trades accuracy for compression on purpose: the
 *       median rule stops the runs of the larger weights, which are the ones the selection rule (the most
 *       compressed point within a tolerance of the best) looks for; the margin is wider than that tolerance, since
 *       one seed's validation accuracy moves by most of a point from epoch to epoch.</li>
 * </ul>
 *
 * <p>"Before it" is the sweep's run order ({@link org.sparsevd.job.config.SweepConfig#runOrder()}), and only runs of
 * the same seed count: they share the training subset and the validation set. The first run of each seed always
 * trains to the end. Runs training at once ({@code --parallel}) share one pruner: a run asking about epoch {@code e}
 * waits until every earlier run of its seed has reported epoch {@code e} or stopped, so it is compared with exactly
 * the values a sequential sweep would compare it with, and stops at the same epoch. Earlier runs never wait for later
 * ones, and runs start in run order, so the waits end.
 */
final class RunPruner {
    /** What sets the bar a run must reach. */
    enum Rule {
        MEDIAN, FLOOR
    }

    private final Rule rule;
    private final double tolerance;
    private final int after;
    private final long[] seeds;
    private final List<List<Double>> histories = new ArrayList<>();
    private final boolean[] stopped;
    private String abandoned;

    /**
     * @param rule      what sets the bar
     * @param tolerance for {@link Rule#FLOOR}: how far below the best earlier run a run may be (an accuracy in
     *                  [0, 1]); ignored by {@link Rule#MEDIAN}
     * @param after     the first epoch (1-based) after which a run may be stopped
     * @param runSeeds  the seed of every run of the sweep, in run order
     */
    RunPruner(Rule rule, double tolerance, int after, List<Long> runSeeds) {
        if (rule == null) {
            throw new IllegalArgumentException("a pruner needs its rule");
        }
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw new IllegalArgumentException("the tolerance is an accuracy in [0, 1], got " + tolerance);
        }
        if (after < 1) {
            throw new IllegalArgumentException("the first epoch a run may be stopped after must be at least 1, got "
                    + after);
        }
        this.rule = rule;
        this.tolerance = tolerance;
        this.after = after;
        this.seeds = runSeeds.stream().mapToLong(Long::longValue).toArray();
        this.stopped = new boolean[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            histories.add(new ArrayList<>());
        }
    }

    /** The validation accuracies of the epochs run {@code run} trained before (a resumed or finished run). */
    synchronized void trained(int run, double[] valAccuracies) {
        List<Double> h = histories.get(run);
        h.clear();
        for (double v : valAccuracies) {
            h.add(v);
        }
        notifyAll();
    }

    /** Run {@code run}'s validation accuracy after {@code epoch}, the epoch after those it has reported. */
    synchronized void epoch(int run, int epoch, double valAccuracy) {
        List<Double> h = histories.get(run);
        if (epoch != h.size() + 1) {
            throw new IllegalStateException("run " + run + " reports epoch " + epoch + " after " + h.size());
        }
        h.add(valAccuracy);
        notifyAll();
    }

    /** Run {@code run} trains no more epochs (finished or stopped): its history is final. */
    synchronized void stopped(int run) {
        stopped[run] = true;
        notifyAll();
    }

    /**
     * The sweep stops (a run failed): runs waiting for a bar, and those asking later, get a
     * {@link CancellationException} instead of a decision made on an incomplete history.
     */
    synchronized void abandon(String why) {
        abandoned = why;
        notifyAll();
    }

    /** Whether run {@code run}, with validation accuracy {@code valAccuracy} after {@code epoch}, is stopped. */
    boolean prunes(int run, int epoch, double valAccuracy) {
        if (epoch < after) {
            return false;
        }
        double bar = bar(run, epoch);
        return !Double.isNaN(bar) && valAccuracy < bar;
    }

    /**
     * The bar of {@code run} after {@code epoch}, set by the earlier runs of its seed that reach that epoch (NaN if
     * none), once each of them has reached it or stopped.
     */
    synchronized double bar(int run, int epoch) {
        while (!settled(run, epoch)) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for the runs before run " + (run + 1));
            }
        }
        double[] reached = new double[run];
        int n = 0;
        for (int j = 0; j < run; j++) {
            if (seeds[j] == seeds[run] && histories.get(j).size() >= epoch) {
                reached[n++] = histories.get(j).get(epoch - 1);
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        double[] sorted = java.util.Arrays.copyOf(reached, n);
        java.util.Arrays.sort(sorted);
        if (rule == Rule.FLOOR) {
            return sorted[n - 1] - tolerance;
        }
        int mid = n / 2;
        return n % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** What the bar of {@code run} after {@code epoch} is, for the line that says why the run stopped. */
    String describeBar(int run, int epoch) {
        double bar = bar(run, epoch);
        String earlier = "the earlier runs of seed " + seeds[run] + " at that epoch";
        return rule == Rule.MEDIAN ? String.format(Locale.ROOT, "the median %.4f of %s", bar, earlier)
                : String.format(Locale.ROOT, "%.4f (the best %.4f of %s, less --prune-margin %s)", bar,
                        bar + tolerance, earlier, org.sparsevd.job.config.SweepConfig.plain(100 * tolerance));
    }

    /** Whether every earlier run of {@code run}'s seed has reached {@code epoch} or stopped; fails if abandoned. */
    private boolean settled(int run, int epoch) {
        if (abandoned != null) {
            throw new CancellationException("the sweep stops (" + abandoned + ")");
        }
        for (int j = 0; j < run; j++) {
            if (seeds[j] == seeds[run] && !stopped[j] && histories.get(j).size() < epoch) {
                return false;
            }
        }
        return true;
    }
}
