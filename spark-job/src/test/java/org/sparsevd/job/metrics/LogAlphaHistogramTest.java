package org.sparsevd.job.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsevd.job.output.Json;

/** Binning, quantiles and the metrics.jsonl form of the per-layer log alpha histogram. */
class LogAlphaHistogramTest {
    @Test
    void binsSpanTheClipRangeWithTheUpperBoundInTheLastBin() {
        LogAlphaHistogram h = LogAlphaHistogram.of(new float[] {-8f, -7.6f, -7.4f, 0f, 7.99f, 8f, 8f}, -8, 8);
        assertEquals(LogAlphaHistogram.BINS, h.counts().length);
        assertEquals(0.5, h.edge(1) - h.edge(0), 1e-12, "16 / 32 bins");
        assertEquals(2, h.counts()[0], "[-8, -7.5)");
        assertEquals(1, h.counts()[1]);
        assertEquals(1, h.counts()[16], "[0, 0.5)");
        assertEquals(3, h.counts()[31], "the clipped weights at 8 count in the last bin");
        assertEquals(7, h.total());
    }

    @Test
    void quantilesInterpolateWithinBins() {
        long[] counts = new long[4];
        counts[1] = 50;
        counts[3] = 50;
        LogAlphaHistogram h = new LogAlphaHistogram(0, 4, counts); // bins [0,1) [1,2) [2,3) [3,4]
        assertEquals(1.0, h.quantile(0), 1e-12);
        assertEquals(1.5, h.quantile(0.25), 1e-12);
        assertEquals(2.0, h.quantile(0.5), 1e-12, "the first bin's end");
        assertEquals(3.5, h.quantile(0.75), 1e-12);
        assertEquals(4.0, h.quantile(1), 1e-12);
        assertEquals(Double.NaN, new LogAlphaHistogram(0, 1, new long[3]).quantile(0.5));
        assertThrows(IllegalArgumentException.class, () -> new LogAlphaHistogram(1, 1, counts));
    }

    @Test
    void recordedInMetricsJsonlAndAbsentFromOlderFiles() throws Exception {
        LayerMetrics l = new LayerMetrics("dense1", 4, 2, 0.5, 1.5, -1.0,
                new LogAlphaHistogram(-8, 8, new long[] {1, 0, 3}));
        EpochMetrics m = new EpochMetrics(1, 2, 2, 0, 1e-3, 0.5, 1.5, 0.5, 10, 0.85, 0.9, 2, List.of(l), 0.8, 0.4);
        String json = Json.mapper().writeValueAsString(m);
        EpochMetrics back = Json.readingMapper().readValue(json, EpochMetrics.class);
        assertEquals(m, back);
        assertArrayEquals(new long[] {1, 0, 3}, back.layers().get(0).logAlphaHistogram().counts());

        String older = json.replaceAll(",\"log_alpha_histogram\":\\{[^}]*\\}", "");
        assertEquals(-1, older.indexOf("histogram"), older);
        assertNull(Json.readingMapper().readValue(older, EpochMetrics.class).layers().get(0)
                .logAlphaHistogram(), "a file written before histograms reads as without one");
    }
}
