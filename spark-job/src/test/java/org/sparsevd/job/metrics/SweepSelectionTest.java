package org.sparsevd.job.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Pareto front and the selection rule on hand-made points. */
public class SweepSelectionTest {
    public static SweepPoint point(double klWeight, double threshold, double accuracy, double compression) {
        long weights = 1000;
        long kept = Math.round(weights / compression);
        return new SweepPoint(klWeight, threshold, accuracy, compression, weights, kept,
                List.of(new LayerMetrics("dense1", weights, kept, 1 - (double) kept / weights, 10, -2.0)),
                new PointProvenance("runs/kl-" + klWeight, 1, 600, 12.5, "local[2]", "app-1", "2026-01-01T00:00:00Z",
                        Map.of("sparsevd", "test")));
    }

    private static final SweepPoint A = point(0.1, 1, 0.880, 5);
    private static final SweepPoint B = point(0.1, 3, 0.878, 8);
    private static final SweepPoint C = point(0.3, 3, 0.872, 12);
    private static final SweepPoint D = point(0.3, 1, 0.860, 10); // dominated by C
    private static final SweepPoint E = point(1, 5, 0.840, 30);
    private static final List<SweepPoint> ALL = List.of(A, B, C, D, E);

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
        SweepPoint same = point(0.3, 2, 0.872, 12);
        SweepPoint better = point(1, 4, 0.875, 12);
        assertEquals(better, SweepSelection.select(List.of(A, C, same, better), 1.0));
        assertEquals(same, SweepSelection.select(List.of(A, C, same), 1.0));
    }
}
