package org.sparsevd.job.train;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Worker threads of this JVM that join a {@link GradientExchange} as a stage's tasks do, for the tests of both
 * exchanges (the TCP hub and the in-JVM one); {@link #close} stops them.
 */
final class ExchangeWorkers implements AutoCloseable {

    /** What a worker does in a test: the totals of its steps, or its failure. */
    interface Worker {
        float[][] run(GradientExchange exchange) throws IOException;
    }

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final int params;

    /** @param params the parameter count every worker joins with, &gt; 0 */
    ExchangeWorkers(int params) {
        if (params <= 0) {
            throw new IllegalArgumentException("params must be > 0, got " + params);
        }
        this.params = params;
    }

    /** Runs {@code worker} on a thread, as worker {@code partition} of stage attempt {@code attempt}. */
    Future<float[][]> start(GradientExchange.Point point, int attempt, int partition, Worker worker) {
        return pool.submit(() -> {
            try (GradientExchange exchange = point.join(attempt, partition, params)) {
                return worker.run(exchange);
            }
        });
    }

    /** Runs a task that talks to an exchange its own way (e.g. a raw socket) on a thread. */
    <T> Future<T> submit(Callable<T> task) {
        return pool.submit(task);
    }

    /** A gradient of {@code params} values over seven decades, so that the order of a float sum shows in its bits. */
    static float[] gradient(Random random, int params) {
        float[] g = new float[params];
        for (int i = 0; i < params; i++) {
            g[i] = (float) random.nextGaussian() * (float) Math.pow(10, random.nextInt(7) - 3);
        }
        return g;
    }

    /** {@link #gradient}s of {@code workers} workers' {@code steps} steps: [worker][step]. */
    static float[][][] gradients(Random random, int workers, int steps, int params) {
        float[][][] g = new float[workers][steps][];
        for (int w = 0; w < workers; w++) {
            for (int s = 0; s < steps; s++) {
                g[w][s] = gradient(random, params);
            }
        }
        return g;
    }

    /** The raw bits of {@code v}, to compare float arrays bit for bit. */
    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
