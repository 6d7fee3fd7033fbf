package org.sparsevd.core.runtime;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread count of ND4J's BLAS (OpenBLAS) pool, set once per JVM from {@code SPARSEVD_BLAS_THREADS} (default 1).
 *
 * <p>ND4J runs element-wise ops in its OpenMP pool ({@code OMP_NUM_THREADS}, read when the native library loads)
 * and matrix products in OpenBLAS's own pool, which it sizes to the same count. The two pools spin against each
 * other: measured on 2 cores, Sparse VD LeNet-300-100 trains at 2,970 examples/s with 2 + 2 threads, 6,500 with
 * 1 + 1 and 8,355 with 2 OpenMP threads and 1 BLAS thread (BENCHMARKS.md). The small products of these networks
 * gain little from BLAS threads; data parallelism comes from Spark tasks.
 */
public final class NativeThreads {
    /** The environment variable read by {@link #apply()}. */
    public static final String ENV = "SPARSEVD_BLAS_THREADS";

    private static final Logger log = LoggerFactory.getLogger(NativeThreads.class);
    private static volatile boolean applied;

    private NativeThreads() {
    }

    /** Sets the BLAS thread count of this JVM from {@link #ENV}; later calls do nothing. */
    public static void apply() {
        if (applied) {
            return;
        }
        synchronized (NativeThreads.class) {
            if (!applied) {
                int n = blasThreads(System.getenv(ENV));
                Nd4j.factory().blas().setMaxThreads(n);
                log.debug("BLAS threads set to {} (OMP_NUM_THREADS={})", n, System.getenv("OMP_NUM_THREADS"));
                applied = true;
            }
        }
    }

    /** The thread count {@code value} of {@link #ENV} asks for: 1 when unset. */
    static int blasThreads(String value) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(ENV + " must be a whole number >= 1, got '" + value + "'");
    }
}
