package org.sparsevd.job.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.sparsevd.core.kl.LogAlpha;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.spec.SparseVdParamInitializer;

/**
 * The distribution of a Sparse VD layer's clipped log α over its weights (α = σ²/θ², the weight's noise variance
 * relative to its mean, Molchanov et al. 2017; computed by core's {@link LogAlpha} as
 * clip(log σ² − log(θ² + 1e-8), min, max)), as counts in {@link #BINS} equal bins spanning the layer's clip range
 * [min, max], the last bin closed (the weights clipped to max fall in it). Recorded per layer and epoch in
 * {@code metrics.jsonl}: a fixed-size summary from which the report draws the distribution and its quantiles.
 *
 * @param min    lower clip bound of log α, the left edge of the first bin
 * @param max    upper clip bound, the right edge of the last bin
 * @param counts weights per bin
 */
public record LogAlphaHistogram(double min, double max, long[] counts) {
    public static final int BINS = 32;

    public LogAlphaHistogram {
        if (!(min < max) || counts == null || counts.length == 0) {
            throw new IllegalArgumentException("a histogram needs min < max and bins, got [" + min + ", " + max
                    + "] and " + (counts == null ? "no" : counts.length) + " bins");
        }
        counts = counts.clone();
    }

    /** The histogram of every Sparse VD layer of {@code net}, by layer name (as core's SparsityReport names them). */
    public static Map<String, LogAlphaHistogram> of(MultiLayerNetwork net) {
        Map<String, LogAlphaHistogram> out = new LinkedHashMap<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            if (layer.conf().getLayer() instanceof SparseVdLayer conf) {
                String name = layer.conf().getLayer().getLayerName();
                float[] logAlpha = LogAlpha.compute(layer.getParam(SparseVdParamInitializer.WEIGHT_KEY),
                        layer.getParam(SparseVdParamInitializer.LOG_SIGMA2_KEY), conf.getLogAlphaMin(),
                        conf.getLogAlphaMax()).castTo(DataType.FLOAT).data().asFloat();
                out.put(name != null ? name : "layer" + i, of(logAlpha, conf.getLogAlphaMin(), conf.getLogAlphaMax()));
            }
        }
        return out;
    }

    /** The histogram of {@code values} (already clipped to [min, max]; any outside count in the end bins). */
    static LogAlphaHistogram of(float[] values, double min, double max) {
        long[] counts = new long[BINS];
        double perBin = BINS / (max - min);
        for (float v : values) {
            counts[Math.max(0, Math.min(BINS - 1, (int) ((v - min) * perBin)))]++;
        }
        return new LogAlphaHistogram(min, max, counts);
    }

    /** The number of weights counted. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** The left edge of bin {@code i} (i = number of bins: the right edge of the last). */
    public double edge(int i) {
        return min + (max - min) * i / counts.length;
    }

    /**
     * The {@code q}-quantile (0 ≤ q ≤ 1), interpolated linearly within its bin (the weights spread evenly over a
     * bin); NaN for an empty histogram.
     */
    public double quantile(double q) {
        long total = total();
        if (total == 0) {
            return Double.NaN;
        }
        double target = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && below + counts[i] >= target) {
                return edge(i) + (edge(i + 1) - edge(i)) * Math.max(0, target - below) / counts[i];
            }
            below += counts[i];
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogAlphaHistogram h && min == h.min && max == h.max && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(min) + 17 * Double.hashCode(max) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "LogAlphaHistogram[" + min + ", " + max + ": " + Arrays.toString(counts) + "]";
    }
}
