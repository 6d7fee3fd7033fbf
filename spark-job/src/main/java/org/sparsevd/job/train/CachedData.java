package org.sparsevd.job.train;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * A run's {@link TrainingData} cached on the executors: the examples trained on in one block per worker, the
 * validation set (if any) and the test set in at most as many. Several runs with the same data and workers can share
 * it; {@link #close()} releases all of it.
 *
 * @param data       the data on the driver
 * @param train      the examples trained on
 * @param validation the held-out validation examples, or {@code null} without a validation split
 * @param test       the test examples
 */
public record CachedData(TrainingData data, CachedBlocks train, CachedBlocks validation, CachedBlocks test)
        implements AutoCloseable {

    /** Caches {@code data} for runs of {@code workers} workers. */
    public static CachedData of(JavaSparkContext sc, TrainingData data, int workers) {
        CachedBlocks train = new CachedBlocks(sc, data.train(), workers);
        CachedBlocks validation = data.validation() == null ? null
                : new CachedBlocks(sc, data.validation(), Math.min(workers, data.validation().count()));
        CachedBlocks test = new CachedBlocks(sc, data.test(), Math.min(workers, data.test().count()));
        return new CachedData(data, train, validation, test);
    }

    @Override
    public void close() {
        train.close();
        if (validation != null) {
            validation.close();
        }
        test.close();
    }
}
