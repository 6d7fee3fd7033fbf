package org.sparsevd.core.runtime;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread count of ND4J's BLAS (OpenBLAS) pool, set once per JVM from {@code SPARSEVD_BLAS_THREADS} (default 1),
 * and the OpenMP threads of a training thread's ND4J ops, set for the network it trains ({@link #forNetwork}).
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
    /** This JVM's OpenMP threads: {@code OMP_NUM_THREADS} as ND4J read it when it loaded, else the cores. */
    private static final int JVM_OMP_THREADS = ompThreads(System.getenv("OMP_NUM_THREADS"));
    /** The OpenMP threads {@link #forNetwork} last gave the calling thread, or null. */
    private static final ThreadLocal<Integer> THREAD_OMP = new ThreadLocal<>();

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

    /**
     * Sets the OpenMP threads of the calling thread's ND4J ops for training {@code conf}'s network
     * ({@link #ompThreadsFor}); a call that changes nothing costs a thread-local read.
     */
    public static void forNetwork(MultiLayerConfiguration conf) {
        int n = ompThreadsFor(conf, JVM_OMP_THREADS);
        Integer current = THREAD_OMP.get();
        if (current == null || current != n) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
            THREAD_OMP.set(n);
        }
    }

    /**
     * The OpenMP threads for a thread training {@code conf}'s network in a JVM of {@code jvmThreads}: one for a network
     * without convolutions, whose ops (a minibatch of at most a few hundred features a row) lose more to forking and
     * joining a team than a second thread gains: one {@code train --workers 1} worker of LeNet-300-100 on 2 cores ran
     * 19-24% faster with one thread than with two, in one JVM a step took 5.1-5.4 ms against 6.9-7.2 ms
     * (BENCHMARKS.md, "One worker's OpenMP threads", "Two trainers at once"); all of {@code jvmThreads} for a network
     * with convolutions, whose oneDNN kernels use them (LeNet-5 13% faster with two).
     */
    static int ompThreadsFor(MultiLayerConfiguration conf, int jvmThreads) {
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            if (layer.getLayer() instanceof ConvolutionLayer) {
                return jvmThreads;
            }
        }
        return 1;
    }

    /** The OpenMP threads {@code value} of {@code OMP_NUM_THREADS} gives: the cores when unset or not a count. */
    static int ompThreads(String value) {
        try {
            int n = value == null ? 0 : Integer.parseInt(value.trim());
            return n >= 1 ? n : Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
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
