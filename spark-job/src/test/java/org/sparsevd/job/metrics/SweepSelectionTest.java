package org.sparsevd.job.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Pareto front and the selection rule on hand-made points; the statistics over seeds. */
public class SweepSelectionTest {
    /** A row of seed {@code seed} with validation accuracy {@code val} and test accuracy {@code test}. */
    public static SweepPoint row(double klWeight, double threshold, long seed, double val, double test,
                                 double compression) {
        long weights = 1000;
        long kept = Math.round(weights / compression);
        return new SweepPoint(klWeight, threshold, val, test, null, compression, weights, kept,
                List.of(new LayerMetrics("dense1", weights, kept, 1 - (double) kept / weights, 10, -2.0, null)),
                new PointProvenance("runs/kl-" + klWeight + "-seed-" + seed, seed, 600, 12.5, "local[2]", "app-1",
                        "2026-01-01T00:00:00Z", Map.of("sparsevd", "test")));
    }

    /** One seed's point whose test accuracy is the reverse of its validation accuracy. */
    static PointStats point(double klWeight, double threshold, double val, double compression) {
        return PointStats.of(List.of(row(klWeight, threshold, 1, val, 1 - val, compression))).get(0);
    }

    private static final PointStats A = point(0.1, 1, 0.880, 5);
    private static final PointStats B = point(0.1, 3, 0.878, 8);
    private static final PointStats C = point(0.3, 3, 0.872, 12);
    private static final PointStats D = point(0.3, 1, 0.860, 10); // dominated by C
    private static final PointStats E = point(1, 5, 0.840, 30);
    private static final List<PointStats> ALL = List.of(A, B, C, D, E);

    @Test
    void frontHoldsTheUndominatedPointsByCompression() {
        assertEquals(List.of(A, B, C, E), SweepSelection.front(ALL));
        assertFalse(SweepSelection.onFront(D, ALL));
        assertTrue(SweepSelection.onFront(point(9, 9, 0.880, 5), List.of(A, point(9, 9, 0.880, 5))),
                "equal points are both on the front");
    }

    @Test
    void ruleTakesTheMostCompressedPointWithinTheAccuracyDrop() {
        assertEquals(0.880, SweepSelection.bestAccuracy(ALL));
        assertEquals(A, SweepSelection.select(ALL, 0));
        assertEquals(B, SweepSelection.select(ALL, 0.5));
        assertEquals(C, SweepSelection.select(ALL, 0.8), "0.872 is exactly 0.8 points below 0.880");
        assertEquals(C, SweepSelection.select(ALL, 1.0));
        assertEquals(E, SweepSelection.select(ALL, 4.0));
        assertTrue(SweepSelection.rule(1.0).contains("1.0 percentage points"));
    }

    @Test
    void tiesGoToTheMoreAccurateThenTheLowerThreshold() {
        PointStats same = point(0.3, 2, 0.872, 12);
        PointStats better = point(1, 4, 0.875, 12);
        assertEquals(better, SweepSelection.select(List.of(A, C, same, better), 1.0));
        assertEquals(same, SweepSelection.select(List.of(A, C, same), 1.0));
    }

    @Test
    void selectionLooksAtValidationAccuracyOnly() {
        // test accuracy is 1 - validation accuracy here: a rule that looked at it would pick E for any drop
        assertEquals(A, SweepSelection.select(ALL, 0));
        assertTrue(SweepSelection.rule(1.0).contains("validation"));
    }

    @Test
    void statsAreTheMeanAndSampleStandardDeviationOverTheSeedsOfEachPoint() {
        List<SweepPoint> rows = List.of(row(0.1, 1, 42, 0.80, 0.70, 10), row(0.1, 3, 42, 0.9, 0.9, 4),
                row(0.1, 1, 7, 0.84, 0.74, 20), row(0.1, 1, 13, 0.82, 0.78, 30));
        List<PointStats> stats = PointStats.of(rows);
        assertEquals(2, stats.size());
        PointStats p = stats.get(0);
        assertEquals(List.of(42L, 7L, 13L), p.seeds());
        assertEquals(0.82, p.valAccuracy(), 1e-12);
        assertEquals(0.02, p.valAccuracyStd(), 1e-12);
        assertEquals(0.74, p.testAccuracy(), 1e-12);
        assertEquals(0.04, p.testAccuracyStd(), 1e-12);
        assertEquals(20, p.compression(), 1e-12);
        assertEquals(10, p.compressionStd(), 1e-12);
        PointStats single = stats.get(1);
        assertEquals(List.of(42L), single.seeds());
        assertEquals(null, single.valAccuracyStd(), "no spread from one seed");
        assertEquals(0.9, single.valAccuracy());
    }

    @Test
    void theRuleUsesTheMeanOverSeeds() {
        // (0.1, 1) has the best single run (0.90) but the lower mean; (0.3, 1) is steadier and better on average
        List<SweepPoint> rows = List.of(row(0.1, 1, 1, 0.90, 0.8, 10), row(0.1, 1, 2, 0.70, 0.8, 10),
                row(0.3, 1, 1, 0.85, 0.8, 5), row(0.3, 1, 2, 0.85, 0.8, 5));
        PointStats picked = SweepSelection.select(PointStats.of(rows), 0);
        assertTrue(picked.is(0.3, 1), picked.toString());
    }
}
