package org.sparsevd.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sparsevd.core.compress.KMeans1d;

/**
 * The shared values of one weighted layer (Deep Compression's weight sharing, Han et al. 2016, sec. 3.1): the
 * centroids, and for each kept weight, in the layer's position order, the index of the centroid that replaces it.
 * The arrays are handed over, not copied.
 *
 * @param centroids at least one, finite (in any order: retraining may reorder them)
 * @param index     one per kept weight, each in [0, centroids.length)
 */
public record Codebook(float[] centroids, int[] index) {
    public Codebook {
        if (centroids.length == 0) {
            throw new IllegalArgumentException("a codebook needs at least one centroid");
        }
        for (float c : centroids) {
            if (!Float.isFinite(c)) {
                throw new IllegalArgumentException("a centroid is not finite: " + c);
            }
        }
        for (int i : index) {
            if (i < 0 || i >= centroids.length) {
                throw new IllegalArgumentException("centroid index " + i + " outside [0, " + centroids.length + ")");
            }
        }
    }

    /**
     * k-means ({@link KMeans1d}, linear initialization) with 2^bits centroids over a layer's kept values, each value
     * assigned to its nearest centroid; a layer without kept weights gets the one centroid 0.
     */
    public static Codebook kMeans(float[] values, int bits) {
        if (values.length == 0) {
            return new Codebook(new float[] {0f}, new int[0]);
        }
        float[] centroids = KMeans1d.centroids(values, 1 << bits);
        return new Codebook(centroids, KMeans1d.assign(values, centroids));
    }

    /** One codebook per weighted layer of {@code spec}, in layer order, with the bits {@code quantization} gives. */
    public static List<Codebook> kMeans(NetworkSpec spec, Quantization quantization) {
        if (!quantization.enabled()) {
            throw new IllegalArgumentException("float32 values have no codebook");
        }
        List<Codebook> books = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            if (l instanceof LayerSpec.Dense d) {
                books.add(kMeans(d.values(), quantization.denseBits()));
            } else if (l instanceof LayerSpec.Conv c) {
                books.add(kMeans(c.values(), quantization.convBits()));
            }
        }
        return List.copyOf(books);
    }

    /** The values this codebook gives its layer's kept weights: {@code centroids[index[k]]}. */
    public float[] decode() {
        float[] values = new float[index.length];
        for (int k = 0; k < index.length; k++) {
            values[k] = centroids[index[k]];
        }
        return values;
    }

    /**
     * The same values with only the centroids some weight uses, in ascending order, equal ones merged: what a file
     * needs to store ({@link #decode} gives the same values).
     */
    public Codebook compact() {
        float[] used = new float[index.length];
        for (int k = 0; k < index.length; k++) {
            used[k] = centroids[index[k]];
        }
        float[] sorted = used.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int k = 0; k < sorted.length; k++) {
            if (n == 0 || Float.compare(sorted[k], sorted[n - 1]) != 0) {
                sorted[n++] = sorted[k];
            }
        }
        if (n == 0) {
            return new Codebook(new float[] {centroids[0]}, new int[0]);
        }
        float[] kept = Arrays.copyOf(sorted, n);
        int[] at = new int[index.length];
        for (int k = 0; k < index.length; k++) {
            at[k] = Arrays.binarySearch(kept, used[k]);
        }
        return new Codebook(kept, at);
    }

    /** The same assignment with other centroid values (as many). */
    public Codebook withCentroids(float[] values) {
        if (values.length != centroids.length) {
            throw new IllegalArgumentException(values.length + " centroids for a codebook of " + centroids.length);
        }
        return new Codebook(values, index);
    }

    /**
     * {@code spec} with every weighted layer's kept values replaced by its codebook's ({@code books} one per
     * weighted layer, in order, each with one index per kept weight).
     */
    public static NetworkSpec decode(NetworkSpec spec, List<Codebook> books) {
        List<LayerSpec> layers = new ArrayList<>();
        int w = 0;
        for (LayerSpec l : spec.layers()) {
            if (l.weighted() && w == books.size()) {
                throw new IllegalArgumentException("fewer codebooks (" + books.size() + ") than weighted layers");
            }
            if (l instanceof LayerSpec.Dense d) {
                layers.add(new LayerSpec.Dense(d.name(), d.in(), d.outputs(), d.relu(), d.positions(),
                        values(d.name(), d.positions(), books.get(w++)), d.bias()));
            } else if (l instanceof LayerSpec.Conv c) {
                layers.add(new LayerSpec.Conv(c.name(), c.in(), c.out(), c.kh(), c.kw(), c.sh(), c.sw(), c.padTop(),
                        c.padLeft(), c.relu(), c.positions(), values(c.name(), c.positions(), books.get(w++)),
                        c.bias()));
            } else {
                layers.add(l);
            }
        }
        if (w != books.size()) {
            throw new IllegalArgumentException(books.size() + " codebooks for " + w + " weighted layers");
        }
        return new NetworkSpec(spec.input(), layers, spec.threshold(), spec.provenance());
    }

    private static float[] values(String layer, int[] positions, Codebook book) {
        if (book.index.length != positions.length) {
            throw new IllegalArgumentException(layer + ": a codebook of " + book.index.length + " weights for "
                    + positions.length + " kept");
        }
        return book.decode();
    }
}
