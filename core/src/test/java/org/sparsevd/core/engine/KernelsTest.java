package org.sparsevd.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine's SIMD kernels give the bits of their scalar definitions, at every length (whole blocks of four
 * vectors, single vectors, the scalar tail), so results do not depend on the SIMD width or on whether the JVM has the
 * Vector API.
 */
class KernelsTest {
    @Test
    void tapsGiveTheBitsOfTheirDefinition() {
        Random r = new Random(7);
        float[] x = ModelFileTest.floats(r, 4000);
        for (int n : new int[] {0, 1, 7, 8, 9, 31, 32, 33, 100, 104, 832, 1001}) {
            for (boolean relu : new boolean[] {false, true}) {
                int taps = 1 + r.nextInt(30);
                int[] offsets = new int[taps];
                float[] w = ModelFileTest.floats(r, taps);
                for (int k = 0; k < taps; k++) {
                    offsets[k] = r.nextInt(2000) - 500;   // may be negative: the shift brings it into the array
                }
                float bias = (float) r.nextGaussian();
                float[] y = new float[n + 3];
                Kernels.taps(x, offsets, 600, w, taps, y, 3, n, bias, relu);
                for (int t = 0; t < n; t++) {
                    float s = bias;
                    for (int k = 0; k < taps; k++) {
                        s = Math.fma(w[k], x[offsets[k] + 600 + t], s);
                    }
                    assertEquals(Float.floatToIntBits(relu ? Math.max(0f, s) : s), Float.floatToIntBits(y[3 + t]),
                            "n " + n + ", element " + t);
                }
            }
        }
    }

    @Test
    void dotGivesTheBitsOfItsDefinition() {
        Random r = new Random(8);
        float[] a = ModelFileTest.floats(r, 3000);
        float[] c = ModelFileTest.floats(r, 3000);
        for (int n : new int[] {0, 1, 5, 8, 9, 15, 16, 17, 104, 832, 2496}) {
            float[] s = new float[Kernels.DOT_SUMS];
            for (int i = 0; i < n; i++) {
                s[i % 8] = Math.fma(a[5 + i], c[11 + i], s[i % 8]);
            }
            float expected = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(Kernels.dot(a, 5, c, 11, n)), "n " + n);
        }
    }
}
