package org.sparsevd.core.compress;

import java.util.Arrays;

/**
 * Weight sharing (Deep Compression's second stage, Han et al. 2016, sec. 3): k-means over the scalar weights of one
 * layer, minimizing Σ |w − c(w)|² (their eq. 1), with the linear initialization they found best (sec. 3.2):
 * centroids spaced evenly between the smallest and the largest weight. Lloyd iterations on the sorted values, until
 * no centroid moves or {@value #MAX_ITERATIONS} iterations. A centroid that loses all its weights keeps its place
 * (it then codes nothing; a model file does not store it: {@code engine.Codebook#compact}).
 */
public final class KMeans1d {
    public static final int MAX_ITERATIONS = 300;

    private KMeans1d() {
    }

    /**
     * The centroids, ascending, for {@code values} (at least one, all finite) and {@code k} centroids (at least 1).
     */
    public static float[] centroids(float[] values, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("need at least one centroid, got " + k);
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to cluster");
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        if (!Float.isFinite(sorted[0]) || !Float.isFinite(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("values must be finite");
        }
        double[] prefix = new double[sorted.length + 1];
        for (int i = 0; i < sorted.length; i++) {
            prefix[i + 1] = prefix[i] + sorted[i];
        }
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        double[] c = new double[k];
        for (int i = 0; i < k; i++) {
            c[i] = k == 1 ? (min + max) / 2 : min + (max - min) * i / (k - 1);
        }
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            boolean moved = false;
            int from = 0;
            for (int i = 0; i < k; i++) {
                int to = i == k - 1 ? sorted.length : upperBound(sorted, (c[i] + c[i + 1]) / 2, from);
                if (to > from) {
                    double mean = (prefix[to] - prefix[from]) / (to - from);
                    moved |= (float) mean != (float) c[i];
                    c[i] = mean;
                }
                from = to;
            }
            if (!moved) {
                break;
            }
        }
        float[] out = new float[k];
        for (int i = 0; i < k; i++) {
            out[i] = (float) c[i];
        }
        Arrays.sort(out);
        return out;
    }

    /** For each value, the index of its nearest centroid ({@code centroids} ascending; ties go to the lower one). */
    public static int[] assign(float[] values, float[] centroids) {
        int[] out = new int[values.length];
        for (int v = 0; v < values.length; v++) {
            int lo = 0;
            int hi = centroids.length - 1;
            while (lo < hi) { // first centroid whose upper midpoint is >= the value
                int mid = (lo + hi) >>> 1;
                if (values[v] > ((double) centroids[mid] + centroids[mid + 1]) / 2) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            out[v] = lo;
        }
        return out;
    }

    /** First index in {@code sorted[from..]} whose value is &gt; {@code bound}. */
    private static int upperBound(float[] sorted, double bound, int from) {
        int lo = from;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= bound) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
