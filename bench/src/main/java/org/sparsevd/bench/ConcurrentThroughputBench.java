package org.sparsevd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.seed.NoiseSeed;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.Minibatches;

/**
 * What independent single-thread trainers do when they run at the same time: the baseline of issue 15's "Spark
 * within 15% of two single-thread JVMs", measured rather than computed as twice one JVM alone (two trainers on this
 * machine's two cores share its caches and memory bandwidth).
 *
 * <p>Usage: {@code ConcurrentThroughputBench DATA_DIR THREADS BATCH MODEL WARM_SECONDS TIMED_SECONDS [READY_DIR PROCESSES]}.
 * Each of THREADS threads trains its own Sparse VD network of MODEL (lenet300 or lenet5, as {@code train} builds
 * it, FusedAdam) on BATCH-example minibatches of 12,000 Fashion-MNIST images, cycled, each minibatch's noise seeded
 * as {@code train} seeds it; nothing is exchanged. After WARM_SECONDS of training (the JIT's warm-up) the threads
 * meet at a barrier, and with READY_DIR also wait for PROCESSES processes (this one included) to have written a
 * file there, so that several JVMs (bench/concurrent-throughput.sh) time the same seconds; then each counts the
 * examples it fits in TIMED_SECONDS. Prints each thread's and the total examples/s. Run it with OMP_NUM_THREADS=1
 * and SPARSEVD_BLAS_THREADS=1 (one thread per trainer).
 */
public final class ConcurrentThroughputBench {
    private static final int IMAGES = 12_000;

    public static void main(String[] args) throws Exception {
        if (args.length != 6 && args.length != 8) {
            throw new IllegalArgumentException("usage: ConcurrentThroughputBench DATA_DIR THREADS BATCH MODEL "
                    + "WARM_SECONDS TIMED_SECONDS [READY_DIR PROCESSES]");
        }
        String dir = args[0];
        int threads = positive("THREADS", Integer.parseInt(args[1]));
        int batch = positive("BATCH", Integer.parseInt(args[2]));
        String model = args[3];
        double warm = Double.parseDouble(args[4]);
        double timed = Double.parseDouble(args[5]);
        if (!(warm >= 0) || !(timed > 0)) {
            throw new IllegalArgumentException("WARM_SECONDS must be >= 0 and TIMED_SECONDS > 0, not " + warm
                    + " and " + timed);
        }
        Path readyDir = args.length == 8 ? Path.of(args[6]) : null;
        int processes = args.length == 8 ? positive("PROCESSES", Integer.parseInt(args[7])) : 1;
        NativeThreads.apply();
        LabeledImages train = ThroughputBench.trainingImages(dir, IMAGES);
        List<DataSet> batches = Minibatches.of(train, batch, null);
        ArchitectureSettings settings = ArchitectureSettings.defaults(train.count());

        CyclicBarrier start = new CyclicBarrier(threads, () -> awaitProcesses(readyDir, processes));
        double[] rates = new double[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            MultiLayerNetwork net = ThroughputBench.network(model, settings, Variant.SPARSEVD);
            Thread w = new Thread(() -> rates[id] = rate(net, batches, id, warm, timed, start), "trainer-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double total = 0;
        StringBuilder each = new StringBuilder();
        for (double r : rates) {
            total += r;
            each.append(each.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", r));
        }
        System.out.printf(Locale.ROOT, "%s batch %d, %d thread(s) in this JVM: %.0f examples/s (each: %s; %.3f ms a "
                + "step each)%n", model, batch, threads, total, each, threads * batch * 1000.0 / total);
    }

    /** Trains for {@code warm} s, meets the others at {@code start}, then returns the examples/s of {@code timed} s. */
    private static double rate(MultiLayerNetwork net, List<DataSet> batches, int id, double warm, double timed,
                               CyclicBarrier start) {
        int i = id * 7919;  // each thread starts at its own minibatch
        long end = System.nanoTime() + (long) (warm * 1e9);
        while (System.nanoTime() < end) {
            fit(net, batches.get(i++ % batches.size()));
        }
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException("the start barrier broke", e);
        }
        long examples = 0;
        long t0 = System.nanoTime();
        end = t0 + (long) (timed * 1e9);
        while (System.nanoTime() < end) {
            DataSet b = batches.get(i++ % batches.size());
            fit(net, b);
            examples += b.numExamples();
        }
        return examples / ((System.nanoTime() - t0) / 1e9);
    }

    private static void fit(MultiLayerNetwork net, DataSet b) {
        NoiseSeed.apply(1, 0, b);
        net.fit(b);
    }

    /** Marks this process ready in {@code dir} and waits until {@code processes} are. */
    private static void awaitProcesses(Path dir, int processes) {
        if (dir == null) {
            return;
        }
        try {
            Files.createTempFile(dir, "ready-", "");
            while (true) {
                try (Stream<Path> ready = Files.list(dir)) {
                    if (ready.count() >= processes) {
                        return;
                    }
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the other processes", e);
        }
    }

    private static int positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + value);
        }
        return value;
    }
}
