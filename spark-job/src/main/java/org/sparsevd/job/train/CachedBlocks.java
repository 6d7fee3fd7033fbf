package org.sparsevd.job.train;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.sparsevd.datasets.LabeledImages;

/**
 * A data set spread over the executors as one contiguous block of uint8 examples per partition, cached. The data
 * reaches the executors once, as a broadcast (tasks stay small: a parallelized collection would ship its whole
 * partition with every task of every later job); {@link #close()} unpersists the blocks and destroys the
 * broadcast.
 */
public final class CachedBlocks implements AutoCloseable {
    private final Broadcast<LabeledImages> data;
    private final JavaRDD<LabeledImages> blocks;
    private final List<Integer> counts;

    /** Splits {@code data} into {@code partitions} blocks of nearly equal size and caches them. */
    public CachedBlocks(JavaSparkContext sc, LabeledImages data, int partitions) {
        if (partitions < 1 || partitions > data.count()) {
            throw new IllegalArgumentException("cannot split " + data.count() + " examples into " + partitions
                    + " blocks");
        }
        this.data = sc.broadcast(data);
        Broadcast<LabeledImages> bc = this.data;
        int n = data.count();
        this.blocks = sc.parallelize(IntStream.range(0, partitions).boxed().collect(Collectors.toList()), partitions)
                .map(b -> bc.value().subset(IntStream.range((int) ((long) n * b / partitions),
                        (int) ((long) n * (b + 1) / partitions)).toArray()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        this.counts = blocks.map(LabeledImages::count).collect();
    }

    public JavaRDD<LabeledImages> rdd() {
        return blocks;
    }

    /** Examples in each partition, in partition order. */
    public List<Integer> counts() {
        return counts;
    }

    /** All examples, counted over the blocks. */
    public long total() {
        return counts.stream().mapToLong(Integer::longValue).sum();
    }

    @Override
    public void close() {
        blocks.unpersist(false);
        data.destroy();
    }
}
