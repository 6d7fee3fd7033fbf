package org.sparsevd.core.engine;

import org.sparsevd.core.simd.DirectFloats;

/**
 * The engine's inner loops over contiguous floats: the SIMD versions ({@link VectorKernels}, jdk.incubator.vector)
 * when the JVM has the module, plain loops otherwise. Both use separate multiply and add (no FMA), so they give the
 * same bits.
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
