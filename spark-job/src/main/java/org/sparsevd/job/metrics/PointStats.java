package org.sparsevd.job.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One (KL weight, threshold) point of a sweep over the seeds recorded for it: the mean of each measure and its
 * sample standard deviation ({@code null} for a single seed, or when a value is infinite).
 *
 * @param klWeight        target KL weight of the point's training runs
 * @param threshold       mask threshold
 * @param seeds           the seeds recorded for the point, in row order
 * @param pruned          how many of them were stopped early ({@code --prune}): such a point is not a candidate of
 *                        the selection
 * @param valAccuracy     mean validation accuracy
 * @param valAccuracyStd  its standard deviation over the seeds
 * @param testAccuracy    mean test accuracy
 * @param testAccuracyStd its standard deviation over the seeds
 * @param compression     mean compression (all weights / kept weights)
 * @param compressionStd  its standard deviation over the seeds
 */
public record PointStats(double klWeight, double threshold, List<Long> seeds, int pruned, double valAccuracy,
                         Double valAccuracyStd, double testAccuracy, Double testAccuracyStd, double compression,
                         Double compressionStd) {
    public PointStats {
        seeds = List.copyOf(seeds);
    }

    /** The statistics of every point of {@code rows}, in the order of each point's first row. */
    public static List<PointStats> of(List<SweepPoint> rows) {
        List<PointStats> out = new ArrayList<>();
        for (SweepPoint first : rows) {
            if (out.stream().noneMatch(s -> s.is(first.klWeight(), first.threshold()))) {
                List<SweepPoint> point = rows.stream().filter(p -> p.is(first.klWeight(), first.threshold()))
                        .toList();
                out.add(new PointStats(first.klWeight(), first.threshold(),
                        point.stream().map(p -> p.provenance().seed()).toList(),
                        (int) point.stream().filter(p -> p.prunedAtEpoch() != null).count(),
                        mean(point, SweepPoint::valAccuracy), std(point, SweepPoint::valAccuracy),
                        mean(point, SweepPoint::testAccuracy), std(point, SweepPoint::testAccuracy),
                        mean(point, SweepPoint::compression), std(point, SweepPoint::compression)));
            }
        }
        return out;
    }

    /** Whether this is the point of ({@code klWeight}, {@code threshold}). */
    public boolean is(double klWeight, double threshold) {
        return Double.compare(this.klWeight, klWeight) == 0 && Double.compare(this.threshold, threshold) == 0;
    }

    private static double mean(List<SweepPoint> rows, ToDoubleFunction<SweepPoint> f) {
        return rows.stream().mapToDouble(f).average().orElseThrow();
    }

    /** The sample standard deviation (divided by n - 1), or {@code null} for one value or an infinite one. */
    static Double std(List<SweepPoint> rows, ToDoubleFunction<SweepPoint> f) {
        double[] values = rows.stream().mapToDouble(f).toArray();
        if (values.length < 2 || java.util.Arrays.stream(values).anyMatch(v -> !Double.isFinite(v))) {
            return null;
        }
        double mean = java.util.Arrays.stream(values).average().orElseThrow();
        double squares = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1));
    }
}
