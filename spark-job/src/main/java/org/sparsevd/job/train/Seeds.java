package org.sparsevd.job.train;

/** Derives independent, reproducible seeds from the run seed (SplitMix64 finalizer over the mixed inputs). */
final class Seeds {
    private Seeds() {
    }

    static long mix(long seed, long... parts) {
        long h = seed;
        for (long p : parts) {
            h = splitMix(h ^ splitMix(p + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
