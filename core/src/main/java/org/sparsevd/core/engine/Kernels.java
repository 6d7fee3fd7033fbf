package org.sparsevd.core.engine;

import org.sparsevd.core.simd.DirectFloats;

/**
 * The engine's inner loops over contiguous floats: the SIMD versions ({@link VectorKernels}, jdk.incubator.vector)
 * when the JVM has the module, plain loops otherwise. Both give the same bits: {@link #axpy} uses separate multiply
 * and add in both, {@link #taps} fused multiply-adds in both ({@link Math#fma} is exact, as the vector lanes are).
 */
final class Kernels {
    static final boolean SIMD = DirectFloats.VECTOR_MODULE;
    /** Floats per SIMD vector (1 without SIMD): batches are padded to a multiple of it. */
    static final int LANES = SIMD ? VectorKernels.LANES : 1;

    private Kernels() {
    }

    /** y[yo .. yo+n) += w · x[xo .. xo+n). */
    static void axpy(float w, float[] x, int xo, float[] y, int yo, int n) {
        if (SIMD && n >= LANES) {
            VectorKernels.axpy(w, x, xo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yo + i] += w * x[xo + i];
        }
    }

    /**
     * An output-stationary run of convolution taps: for t in [0, n), {@code y[yo+t] = act(bias + Σ_k w[k] ·
     * x[offsets[k] + shift + t])} over k in [0, taps), summed in that order with fused multiply-adds; act is ReLU
     * when {@code relu}, else the identity. Each output is written once, from registers.
     */
    static void taps(float[] x, int[] offsets, int shift, float[] w, int taps, float[] y, int yo, int n, float bias,
                     boolean relu) {
        int t = SIMD ? VectorKernels.taps(x, offsets, shift, w, taps, y, yo, n, bias, relu) : 0;
        for (; t < n; t++) {
            float s = bias;
            for (int k = 0; k < taps; k++) {
                s = Math.fma(w[k], x[offsets[k] + shift + t], s);
            }
            y[yo + t] = relu ? Math.max(0f, s) : s;
        }
    }

    /** The partial sums of {@link #dot}. */
    static final int DOT_SUMS = 8;

    /**
     * Σ_i a[ao + i] · c[co + i] over i in [0, n), in a fixed order whatever the SIMD width: {@value #DOT_SUMS}
     * partial sums, sum j taking the terms i ≡ j (mod {@value #DOT_SUMS}) in ascending i by fused multiply-adds,
     * then added pairwise ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)).
     */
    static float dot(float[] a, int ao, float[] c, int co, int n) {
        float[] s = new float[DOT_SUMS];
        int i = SIMD ? VectorKernels.dot(a, ao, c, co, n, s) : 0;
        for (; i < n; i++) {
            s[i % DOT_SUMS] = Math.fma(a[ao + i], c[co + i], s[i % DOT_SUMS]);
        }
        return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }

    /** y[yo .. yo+n) = max(y, x[xo .. xo+n)). */
    static void max(float[] x, int xo, float[] y, int yo, int n) {
        if (SIMD && n >= LANES) {
            VectorKernels.max(x, xo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yo + i] = Math.max(y[yo + i], x[xo + i]);
        }
    }

    /** y[o .. o+n) = max(0, y). */
    static void relu(float[] y, int o, int n) {
        if (SIMD && n >= LANES) {
            VectorKernels.relu(y, o, n);
            return;
        }
        for (int i = o; i < o + n; i++) {
            y[i] = Math.max(0f, y[i]);
        }
    }

    /** Whether x[o .. o+n) is all zero. */
    static boolean allZero(float[] x, int o, int n) {
        for (int i = o; i < o + n; i++) {
            if (x[i] != 0f) {
                return false;
            }
        }
        return true;
    }
}
