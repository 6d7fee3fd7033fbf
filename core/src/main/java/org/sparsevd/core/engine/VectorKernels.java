package org.sparsevd.core.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD forms of {@link Kernels}' loops; loaded only when the JVM has jdk.incubator.vector. */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int LANES = S.length();
    /** The species of {@link #dot}: as many lanes as {@link Kernels#DOT_SUMS}. */
    private static final VectorSpecies<Float> DOT = FloatVector.SPECIES_256;

    private VectorKernels() {
    }

    static void axpy(float w, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += LANES) {
            FloatVector.fromArray(S, x, xo + i).mul(w).add(FloatVector.fromArray(S, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += w * x[xo + i];
        }
    }

    /**
     * {@link Kernels#taps} over the whole vectors of [0, n), four at a time while they last; returns where the scalar
     * tail starts.
     */
    static int taps(float[] x, int[] offsets, int shift, float[] w, int taps, float[] y, int yo, int n, float bias,
                    boolean relu) {
        int t = 0;
        FloatVector b = FloatVector.broadcast(S, bias);
        for (int upper = n - 4 * LANES; t <= upper; t += 4 * LANES) {
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            for (int k = 0; k < taps; k++) {
                FloatVector wk = FloatVector.broadcast(S, w[k]);
                int xo = offsets[k] + shift + t;
                a0 = wk.fma(FloatVector.fromArray(S, x, xo), a0);
                a1 = wk.fma(FloatVector.fromArray(S, x, xo + LANES), a1);
                a2 = wk.fma(FloatVector.fromArray(S, x, xo + 2 * LANES), a2);
                a3 = wk.fma(FloatVector.fromArray(S, x, xo + 3 * LANES), a3);
            }
            store(a0, relu, y, yo + t);
            store(a1, relu, y, yo + t + LANES);
            store(a2, relu, y, yo + t + 2 * LANES);
            store(a3, relu, y, yo + t + 3 * LANES);
        }
        for (int upper = S.loopBound(n); t < upper; t += LANES) {
            FloatVector a = b;
            for (int k = 0; k < taps; k++) {
                a = FloatVector.broadcast(S, w[k]).fma(FloatVector.fromArray(S, x, offsets[k] + shift + t), a);
            }
            store(a, relu, y, yo + t);
        }
        return t;
    }

    /**
     * {@link Kernels#dot}'s partial sums over the whole 8-float vectors of [0, n) (a 256-bit species whatever the
     * preferred one, so the lanes are the partial sums), into {@code sums}; returns where the scalar tail starts.
     */
    static int dot(float[] a, int ao, float[] c, int co, int n, float[] sums) {
        FloatVector s = FloatVector.zero(DOT);
        int i = 0;
        for (int upper = DOT.loopBound(n); i < upper; i += DOT.length()) {
            s = FloatVector.fromArray(DOT, a, ao + i).fma(FloatVector.fromArray(DOT, c, co + i), s);
        }
        s.intoArray(sums, 0);
        return i;
    }

    private static void store(FloatVector v, boolean relu, float[] y, int o) {
        (relu ? v.lanewise(VectorOperators.MAX, 0f) : v).intoArray(y, o);
    }

    static void max(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += LANES) {
            FloatVector.fromArray(S, y, yo + i).max(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.max(y[yo + i], x[xo + i]);
        }
    }

    static void relu(float[] y, int o, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += LANES) {
            FloatVector.fromArray(S, y, o + i).lanewise(VectorOperators.MAX, 0f).intoArray(y, o + i);
        }
        for (; i < n; i++) {
            y[o + i] = Math.max(0f, y[o + i]);
        }
    }
}
