package org.sparsevd.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KMeans1dTest {

    @Test
    void findsSeparatedClustersAndAssignsToTheNearest() {
        Random r = new Random(3);
        float[] v = new float[3000];
        float[] centers = {-1f, 0.2f, 2f};
        for (int i = 0; i < v.length; i++) {
            v[i] = centers[i % 3] + (float) (r.nextGaussian() * 0.01);
        }
        float[] c = KMeans1d.centroids(v, 3);
        for (int k = 0; k < 3; k++) {
            assertEquals(centers[k], c[k], 0.002);
        }
        int[] a = KMeans1d.assign(v, c);
        for (int i = 0; i < v.length; i++) {
            assertEquals(i % 3, a[i]);
        }
    }

    @Test
    void lloydStepsDoNotIncreaseTheErrorOfTheLinearStart() {
        Random r = new Random(5);
        float[] v = new float[5000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.1);
        }
        int k = 8;
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        float[] linear = new float[k];
        for (int i = 0; i < k; i++) {
            linear[i] = min + (max - min) * i / (k - 1);
        }
        float[] fitted = KMeans1d.centroids(v, k);
        assertTrue(error(v, fitted) < error(v, linear));
        for (int i = 1; i < k; i++) {
            assertTrue(fitted[i - 1] <= fitted[i]);
        }
    }

    @Test
    void moreCentroidsThanDistinctValues() {
        float[] c = KMeans1d.centroids(new float[] {1f, 1f, 1f}, 4);
        assertArrayEquals(new int[] {0, 0, 0}, KMeans1d.assign(new float[] {1f, 1f, 1f}, new float[] {1f, 2f}));
        assertEquals(4, c.length);
        assertEquals(1f, c[KMeans1d.assign(new float[] {1f}, c)[0]]);
    }

    private static double error(float[] v, float[] c) {
        int[] a = KMeans1d.assign(v, c);
        double e = 0;
        for (int i = 0; i < v.length; i++) {
            e += (v[i] - c[a[i]]) * (double) (v[i] - c[a[i]]);
        }
        return e;
    }
}
