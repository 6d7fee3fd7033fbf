package org.sparsevd.core.seed;

/** Reproducible seed derivation: SplitMix64's finalizer, and independent seeds mixed from a run seed and indices. */
public final class Seeds {
    private Seeds() {
    }

    /** A seed derived from {@code seed} and {@code parts} (e.g. epoch, partition), each part mixed in turn. */
    public static long mix(long seed, long... parts) {
        long h = seed;
        for (long p : parts) {
            h = mix64(h ^ mix64(p + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    /** SplitMix64's finalizer. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
