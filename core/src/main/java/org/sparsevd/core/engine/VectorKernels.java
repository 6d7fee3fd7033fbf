package org.sparsevd.core.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD forms of {@link Kernels}' loops; loaded only when the JVM has jdk.incubator.vector. */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int LANES = S.length();

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
