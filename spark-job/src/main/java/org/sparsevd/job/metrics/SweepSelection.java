package org.sparsevd.job.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The trade-off between validation accuracy and compression over a sweep's candidate points (each the mean over its
 * seeds; a point with a run stopped early by {@code --prune} is no candidate): the Pareto front, and the point the
 * selection rule picks (the most compressed candidate whose mean validation accuracy is at most
 * {@code maxAccuracyDrop} percentage points below the best candidate's). Test accuracy plays no part in either: it is
 * reported for the selected point, not used to choose it.
 */
public final class SweepSelection {
    /** Higher compression first, then higher accuracy, then the lower threshold, then the lower KL weight. */
    private static final Comparator<PointStats> PREFERENCE = Comparator
            .comparingDouble(PointStats::compression).reversed()
            .thenComparing(Comparator.comparingDouble(PointStats::valAccuracy).reversed())
            .thenComparingDouble(PointStats::threshold)
            .thenComparingDouble(PointStats::klWeight);

    private SweepSelection() {
    }

    /** Whether {@code p} can be selected: none of its runs was stopped early. */
    public static boolean candidate(PointStats p) {
        return p.pruned() == 0;
    }

    /**
     * Whether {@code p} is on the front: a candidate, and no other candidate is at least as accurate on validation
     * and as compressed, and better in one.
     */
    public static boolean onFront(PointStats p, List<PointStats> all) {
        if (!candidate(p)) {
            return false;
        }
        for (PointStats q : candidates(all)) {
            boolean noWorse = q.valAccuracy() >= p.valAccuracy() && q.compression() >= p.compression();
            boolean better = q.valAccuracy() > p.valAccuracy() || q.compression() > p.compression();
            if (noWorse && better) {
                return false;
            }
        }
        return true;
    }

    /** The Pareto front of validation accuracy vs compression, by increasing compression. */
    public static List<PointStats> front(List<PointStats> all) {
        List<PointStats> front = new ArrayList<>();
        for (PointStats p : all) {
            if (onFront(p, all)) {
                front.add(p);
            }
        }
        front.sort(Comparator.comparingDouble(PointStats::compression)
                .thenComparingDouble(PointStats::valAccuracy));
        return front;
    }

    /** The best mean validation accuracy of the sweep's candidates. */
    public static double bestAccuracy(List<PointStats> all) {
        return candidates(all).stream().mapToDouble(PointStats::valAccuracy).max()
                .orElseThrow(() -> new IllegalArgumentException("no points to select from"));
    }

    /** The lowest mean validation accuracy the rule accepts: the best minus {@code maxAccuracyDrop} percentage points. */
    public static double accuracyFloor(List<PointStats> all, double maxAccuracyDrop) {
        return bestAccuracy(all) - maxAccuracyDrop / 100;
    }

    /** The point the rule picks (always one of the front). */
    public static PointStats select(List<PointStats> all, double maxAccuracyDrop) {
        double floor = accuracyFloor(all, maxAccuracyDrop);
        return candidates(all).stream().filter(p -> p.valAccuracy() >= floor - 1e-12).min(PREFERENCE).orElseThrow();
    }

    private static List<PointStats> candidates(List<PointStats> all) {
        return all.stream().filter(SweepSelection::candidate).toList();
    }

    /** The rule in words, for best.json and reports. */
    public static String rule(double maxAccuracyDrop) {
        return "highest mean compression whose mean validation accuracy is at most " + maxAccuracyDrop
                + " percentage points below the best of the sweep, among the points none of whose runs was stopped "
                + "early (test accuracy is not looked at)";
    }
}
