package org.sparsevd.core.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.IntBuffer;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Sparse VD layers' noise generator: its lane version gives {@link NormalNoise#at}'s bits at every lane count,
 * and a draw is a standard normal sample (moments, tails, the Kolmogorov-Smirnov distance to N(0, 1)) with no
 * correlation between neighbouring elements or between draws of other seeds.
 */
class NormalNoiseTest {
    private static final int N = 1 << 20;

    @Test
    void scalarLogIsLanesLogToTheBit() {
        VectorSpecies<Float> s = FloatVector.SPECIES_256;
        float[] x = new float[s.length()];
        float[] lanes = new float[s.length()];
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 1 << 16; i++) {
            for (int j = 0; j < x.length; j++) {      // positive normal floats of every exponent, and (0, 1] as drawn
                x[j] = j % 2 == 0 ? Float.intBitsToFloat(random.nextInt(0x00800000, 0x7f800000))
                        : ((random.nextInt() >>> 8) + 1) * NormalNoise.UNIT;
            }
            Lanes.log(FloatVector.fromArray(s, x, 0)).intoArray(lanes, 0);
            for (int j = 0; j < x.length; j++) {
                assertEquals(Float.floatToRawIntBits(lanes[j]), Float.floatToRawIntBits(NormalNoise.log(x[j])),
                        "log(" + x[j] + ")");
            }
        }
    }

    @Test
    void lanesGiveTheScalarBitsAtEveryLaneCount() {
        int[] indices = {0, 1, 2, 17, 1_000_003, (1 << 30) - 3, Integer.MAX_VALUE - 16};
        for (VectorSpecies<Float> s : new VectorSpecies[]{FloatVector.SPECIES_128, FloatVector.SPECIES_256,
                FloatVector.SPECIES_512, Lanes.FLOATS}) {
            VectorSpecies<Integer> ints = s.withLanes(int.class);
            float[] out = new float[s.length()];
            for (long seed : new long[]{0L, 42L, -1L, 0x9E3779B97F4A7C15L}) {
                for (int first : indices) {
                    for (int block = 0; block < 64; block++) {
                        int base = first + block * s.length();
                        if (base < 0 || base > Integer.MAX_VALUE - s.length()) {
                            continue;
                        }
                        int[] index = new int[s.length()];
                        Arrays.setAll(index, j -> base + j);
                        Lanes.normal(IntVector.fromArray(ints, index, 0), NormalNoise.key1(seed),
                                NormalNoise.key2(seed)).intoArray(out, 0);
                        for (int j = 0; j < out.length; j++) {
                            assertEquals(Float.floatToRawIntBits(NormalNoise.at(seed, base + j)),
                                    Float.floatToRawIntBits(out[j]), s + ", seed " + seed + ", element " + (base + j));
                        }
                    }
                }
            }
        }
    }

    @Test
    void cosineIsWithin1point5e7OfCosTwoPi() {
        for (int i = 0; i < 1 << 24; i += 7) {
            float u = i * NormalNoise.UNIT;
            double err = Math.abs(NormalNoise.cos2Pi(u) - Math.cos(2 * Math.PI * u));
            assertTrue(err < 1.5e-7, "cos(2π·" + u + "): error " + err);
        }
    }

    @Test
    void aDrawIsStandardNormal() {
        float[] e = draw(42L, N);
        double mean = moment(e, 1);
        double m2 = moment(e, 2);
        double m4 = moment(e, 4);
        int beyond2 = beyond(e, 2);
        int beyond3 = beyond(e, 3);
        assertEquals(0, mean, 5 / Math.sqrt(N), "mean");
        assertEquals(1, m2, 5 * Math.sqrt(2.0 / N), "second moment");
        assertEquals(3, m4, 5 * Math.sqrt(96.0 / N), "fourth moment");
        assertBinomial(beyond2, 0.0455003, "P(|ε| > 2)");
        assertBinomial(beyond3, 0.0026998, "P(|ε| > 3)");
        float[] sorted = e.clone();
        Arrays.sort(sorted);
        double ks = 0;
        for (int i = 0; i < N; i++) {
            double cdf = phi(sorted[i]);
            ks = Math.max(ks, Math.max(Math.abs(cdf - (double) i / N), Math.abs((double) (i + 1) / N - cdf)));
        }
        assertTrue(ks < 1.63 / Math.sqrt(N), "Kolmogorov-Smirnov distance " + ks + " (1% critical value "
                + 1.63 / Math.sqrt(N) + ")");
        assertTrue(sorted[N - 1] <= 5.78f && sorted[0] >= -5.78f, "|ε| ≤ sqrt(2·24·ln 2)");
    }

    @Test
    void neighboursAndOtherSeedsAreUncorrelated() {
        float[] a = draw(42L, N);
        double bound = 5 / Math.sqrt(N);
        for (int lag : new int[]{1, 2, 8, 16}) {
            assertEquals(0, correlation(a, 0, a, lag, N - lag), bound, "lag " + lag);
        }
        for (long other : new long[]{43L, 42L ^ (1L << 32), 42L ^ (1L << 63), ~42L}) {
            assertEquals(0, correlation(a, 0, draw(other, N), 0, N), bound, "seed 42 against " + other);
        }
    }

    @Test
    void fillWritesElementIOfTheBufferWhateverTheOrder() {
        long seed = 7;
        for (char order : new char[]{'c', 'f'}) {
            INDArray noise = Nd4j.createUninitialized(DataType.FLOAT, new long[]{5, 7}, order);
            NormalNoise.fill(noise, seed);
            IntBuffer bits = DirectFloats.floatBits(noise);
            for (int i = 0; i < 35; i++) {
                assertEquals(Float.floatToRawIntBits(NormalNoise.at(seed, i)), bits.get(i), order + ", element " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> NormalNoise.fill(Nd4j.zeros(DataType.DOUBLE, 3), 1));
        assertThrows(IllegalArgumentException.class, () -> NormalNoise.at(1, -1));
    }

    /** The mean of v^k over the draw. */
    private static double moment(float[] e, int k) {
        double sum = 0;
        for (float v : e) {
            sum += Math.pow(v, k);
        }
        return sum / e.length;
    }

    /** How many elements have |v| > t. */
    private static int beyond(float[] e, double t) {
        int count = 0;
        for (float v : e) {
            count += Math.abs(v) > t ? 1 : 0;
        }
        return count;
    }

    private static float[] draw(long seed, int n) {
        float[] e = new float[n];
        for (int i = 0; i < n; i++) {
            e[i] = NormalNoise.at(seed, i);
        }
        return e;
    }

    private static double correlation(float[] a, int fromA, float[] b, int fromB, int n) {
        double sa = 0;
        double sb = 0;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double x = a[fromA + i];
            double y = b[fromB + i];
            sa += x;
            sb += y;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }

    private static void assertBinomial(int count, double p, String what) {
        assertEquals(p * N, count, 5 * Math.sqrt(N * p * (1 - p)), what);
    }

    /** The standard normal CDF. */
    private static double phi(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** erfc by Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7: below the KS bound's 1.6e-3). */
    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
