package org.sparsevd.job.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The trade-off between test accuracy and compression over a sweep's points: the Pareto front, and the point the
 * selection rule picks (the most compressed point whose accuracy is at most {@code maxAccuracyDrop} percentage
 * points below the best accuracy of the sweep).
 */
public final class SweepSelection {
    /** Higher compression first, then higher accuracy, then the lower threshold, then the lower KL weight. */
    private static final Comparator<SweepPoint> PREFERENCE = Comparator
            .comparingDouble(SweepPoint::compression).reversed()
            .thenComparing(Comparator.comparingDouble(SweepPoint::testAccuracy).reversed())
            .thenComparingDouble(SweepPoint::threshold)
            .thenComparingDouble(SweepPoint::klWeight);

    private SweepSelection() {
    }

    /** Whether {@code p} is on the front: no other point is at least as accurate and as compressed, and better in one. */
    public static boolean onFront(SweepPoint p, List<SweepPoint> all) {
        for (SweepPoint q : all) {
            boolean noWorse = q.testAccuracy() >= p.testAccuracy() && q.compression() >= p.compression();
            boolean better = q.testAccuracy() > p.testAccuracy() || q.compression() > p.compression();
            if (noWorse && better) {
                return false;
            }
        }
        return true;
    }

    /** The Pareto front of accuracy vs compression, by increasing compression. */
    public static List<SweepPoint> front(List<SweepPoint> all) {
        List<SweepPoint> front = new ArrayList<>();
        for (SweepPoint p : all) {
            if (onFront(p, all)) {
                front.add(p);
            }
        }
        front.sort(Comparator.comparingDouble(SweepPoint::compression)
                .thenComparingDouble(SweepPoint::testAccuracy));
        return front;
    }

    /** The best test accuracy of the sweep. */
    public static double bestAccuracy(List<SweepPoint> all) {
        return all.stream().mapToDouble(SweepPoint::testAccuracy).max()
                .orElseThrow(() -> new IllegalArgumentException("no points to select from"));
    }

    /** The lowest accuracy the rule accepts: the best minus {@code maxAccuracyDrop} percentage points. */
    public static double accuracyFloor(List<SweepPoint> all, double maxAccuracyDrop) {
        return bestAccuracy(all) - maxAccuracyDrop / 100;
    }

    /** The point the rule picks (always one of the front). */
    public static SweepPoint select(List<SweepPoint> all, double maxAccuracyDrop) {
        double floor = accuracyFloor(all, maxAccuracyDrop);
        return all.stream().filter(p -> p.testAccuracy() >= floor - 1e-12).min(PREFERENCE).orElseThrow();
    }

    /** The rule in words, for best.json and reports. */
    public static String rule(double maxAccuracyDrop) {
        return "highest compression whose test accuracy is at most " + maxAccuracyDrop
                + " percentage points below the best of the sweep";
    }
}
