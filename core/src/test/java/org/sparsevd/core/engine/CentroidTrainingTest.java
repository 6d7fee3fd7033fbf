package org.sparsevd.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Centroid retraining: the engine's backward pass gives the centroids' gradients (against finite differences, on a
 * network with every layer type), retraining lowers the training loss of a k-means quantized network, and it is
 * deterministic.
 */
class CentroidTrainingTest {

    /** conv 3@3x3 stride 2 padding 1 + ReLU, max pool 3x3/2 with padding, LRN, dense 12 -> 6 ReLU, dense 6 -> 3. */
    static NetworkSpec everyLayer(Random r) {
        Shape in = new Shape(2, 7, 7);
        int[] p0 = keep(r, 3 * 2 * 9, 0.6);
        LayerSpec.Conv conv = new LayerSpec.Conv("conv", in, new Shape(3, 4, 4), 3, 3, 2, 2, 1, 1, true, p0,
                floats(r, p0.length, 0.5), floats(r, 3, 0.1));
        LayerSpec.MaxPool pool = new LayerSpec.MaxPool("pool", conv.out(), new Shape(3, 2, 2), 3, 3, 2, 2, 1, 1);
        LayerSpec.Lrn lrn = new LayerSpec.Lrn("lrn", pool.out(), 2.0, 3, 0.1, 0.75);
        int[] p1 = keep(r, 12 * 6, 0.5);
        LayerSpec.Dense d1 = new LayerSpec.Dense("d1", lrn.out(), 6, true, p1, floats(r, p1.length, 0.5),
                floats(r, 6, 0.1));
        int[] p2 = keep(r, 6 * 3, 0.7);
        LayerSpec.Dense d2 = new LayerSpec.Dense("d2", d1.out(), 3, false, p2, floats(r, p2.length, 0.5),
                floats(r, 3, 0.1));
        return new NetworkSpec(InputSpec.unitScale(in), List.of(conv, pool, lrn, d1, d2), 3.0, "{}");
    }

    private static int[] keep(Random r, int total, double fraction) {
        List<Integer> kept = new ArrayList<>();
        for (int p = 0; p < total; p++) {
            if (r.nextDouble() < fraction) {
                kept.add(p);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] floats(Random r, int n, double scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextGaussian() * scale);
        }
        return f;
    }

    private static CentroidTraining.Examples examples(Random r, int count, int size, int classes) {
        byte[] pixels = new byte[count * size];
        r.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) r.nextInt(classes);
        }
        return new CentroidTraining.Examples(pixels, labels);
    }

    private static float[][] features(NetworkSpec spec, CentroidTraining.Examples data) {
        int size = spec.input().shape().size();
        float[][] x = new float[data.count()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = spec.input().features(data.pixels(), i * size);
        }
        return x;
    }

    @Test
    void centroidGradientsMatchFiniteDifferences() {
        Random r = new Random(5);
        NetworkSpec spec = everyLayer(r);
        List<Codebook> books = Codebook.kMeans(spec, new Quantization(true, 2, 2));
        // (Data whose pre-activations stay away from ReLU and max-pool kinks by more than h.)
        CentroidTraining.Examples data = examples(new Random(3), 9, spec.input().shape().size(), 3);
        int[] labels = new int[data.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.labels()[i];
        }
        double[][] g = CentroidTraining.gradients(Codebook.decode(spec, books), books, features(spec, data), labels);
        double h = 1e-3;
        for (int l = 0; l < books.size(); l++) {
            for (int k = 0; k < books.get(l).centroids().length; k++) {
                double up = loss(spec, books, l, k, h, data);
                double down = loss(spec, books, l, k, -h, data);
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, g[l][k], 2e-3 + 2e-2 * Math.abs(numeric), "layer " + l + " centroid " + k);
            }
        }
        assertTrue(Math.abs(g[0][0]) + Math.abs(g[0][1]) > 1e-4, "the conv layer's gradient must not vanish");
    }

    /** The mean cross-entropy with centroid k of weighted layer l moved by delta. */
    private static double loss(NetworkSpec spec, List<Codebook> books, int l, int k, double delta,
                               CentroidTraining.Examples data) {
        List<Codebook> moved = new ArrayList<>(books);
        float[] c = books.get(l).centroids().clone();
        c[k] += (float) delta;
        moved.set(l, books.get(l).withCentroids(c));
        return CentroidTraining.fit(Codebook.decode(spec, moved), data).loss();
    }

    /** A teacher-labelled problem: the float32 network's own predictions as labels, quantized to 2 bits. */
    @Test
    void retrainingLowersTheTrainingLossOfTheQuantizedNetworkAndIsDeterministic() {
        Random r = new Random(8);
        NetworkSpec spec = everyLayer(r);
        CentroidTraining.Examples random = examples(r, 400, spec.input().shape().size(), 3);
        float[][] p = SparseNetwork.of(spec).predict(features(spec, random));
        byte[] labels = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            labels[i] = (byte) SparseNetwork.argmax(p[i]);
        }
        CentroidTraining.Examples data = new CentroidTraining.Examples(random.pixels(), labels);
        Quantization q = new Quantization(true, 1, 1);
        List<Codebook> books = Codebook.kMeans(spec, q);
        CentroidTraining.Settings settings = new CentroidTraining.Settings(5, 1e-2, 20, 3);
        List<Codebook> retrained = CentroidTraining.retrain(spec, books, data, settings);
        double before = CentroidTraining.fit(Codebook.decode(spec, books), data).loss();
        double after = CentroidTraining.fit(Codebook.decode(spec, retrained), data).loss();
        assertTrue(after < 0.9 * before, "training loss " + before + " -> " + after);
        for (int l = 0; l < books.size(); l++) {
            assertArrayEquals(books.get(l).index(), retrained.get(l).index(), "assignments are fixed");
        }
        List<Codebook> again = CentroidTraining.retrain(spec, books, data, settings);
        assertArrayEquals(ModelEncoder.encode(spec, q, retrained).bytes(), ModelEncoder.encode(spec, q, again).bytes(),
                "same seed, same file");
        List<Codebook> otherSeed = CentroidTraining.retrain(spec, books, data,
                new CentroidTraining.Settings(5, 1e-2, 20, 4));
        assertTrue(!java.util.Arrays.equals(retrained.get(0).centroids(), otherSeed.get(0).centroids()),
                "the seed orders the examples");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CentroidTraining.Settings(0, 1e-3, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new CentroidTraining.Settings(1, Double.NaN, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new CentroidTraining.Settings(1, 1e-3, 0, 1));
        NetworkSpec spec = everyLayer(new Random(1));
        List<Codebook> books = Codebook.kMeans(spec, new Quantization(true, 2, 2));
        CentroidTraining.Examples wrongLabel = new CentroidTraining.Examples(new byte[spec.input().shape().size()],
                new byte[] {7});
        assertThrows(IllegalArgumentException.class, () -> CentroidTraining.retrain(spec, books, wrongLabel,
                new CentroidTraining.Settings(1, 1e-3, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> ModelEncoder.encode(spec, new Quantization(true, 1, 1),
                books), "2-bit codebooks do not fit 1 bit");
        assertThrows(IllegalArgumentException.class, () -> ModelEncoder.encode(spec, Quantization.none(), books));
    }
}
