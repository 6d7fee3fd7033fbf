package org.sparsevd.job.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.core.seed.Seeds;
import org.sparsevd.datasets.Augmentation;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.Minibatches;

/**
 * The minibatches of one round (F averaging steps, or one all-reduce stage): worker {@code p} (partition {@code p} of the cached training blocks)
 * fits minibatches {@code round * F ... (round + 1) * F - 1} of its epoch order, a permutation of its own examples
 * seeded by (run seed, epoch, partition). Examples never cross the network, and a round touches only the examples
 * it trains on. With augmentation every minibatch is randomly cropped and flipped ({@link Augmentation}), seeded by
 * (run seed, epoch, partition, round).
 *
 * @param seed            the run's seed
 * @param epoch           1-based epoch
 * @param round           0-based round of the epoch
 * @param batchSize       examples per minibatch
 * @param batchesPerRound minibatches per worker and round (F)
 * @param normalization   the per-channel normalization of the inputs
 * @param augment         random crops and flips
 */
record RoundBatches(long seed, int epoch, int round, int batchSize, int batchesPerRound,
                    ChannelNormalization normalization, boolean augment)
        implements Function2<Integer, Iterator<LabeledImages>, Iterator<DataSet>> {
    private static final long serialVersionUID = 1L;

    /** The minibatches of {@code round} of {@code epoch}, one partition per worker. */
    static JavaRDD<DataSet> of(JavaRDD<LabeledImages> blocks, long seed, int epoch, int round, int batchSize,
                               int batchesPerRound, ChannelNormalization normalization, boolean augment) {
        return blocks.mapPartitionsWithIndex(
                new RoundBatches(seed, epoch, round, batchSize, batchesPerRound, normalization, augment), true);
    }

    /** The number of rounds an epoch needs so that a block of {@code examples} is fitted once. */
    static int rounds(long examples, int batchSize, int batchesPerRound) {
        return (int) ((batches(examples, batchSize) + batchesPerRound - 1) / batchesPerRound);
    }

    /** The minibatches a block of {@code examples} gives in 0-based {@code round} (0 once the block has run out). */
    static int batchesIn(int round, long examples, int batchSize, int batchesPerRound) {
        long left = batches(examples, batchSize) - (long) round * batchesPerRound;
        return (int) Math.max(0, Math.min(batchesPerRound, left));
    }

    /** The minibatches of at most {@code batchSize} a block of {@code examples} is cut into. */
    private static long batches(long examples, int batchSize) {
        return (examples + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<DataSet> call(Integer partition, Iterator<LabeledImages> blocks) {
        // The first code of a training task: dl4j-spark builds the worker's network after this, on this device.
        TaskGpu.pinCurrentTask();
        List<DataSet> out = new ArrayList<>(batchesPerRound);
        while (blocks.hasNext()) {
            LabeledImages block = blocks.next();
            int[] order = permutation(block.count(), Seeds.mix(seed, epoch, partition));
            int from = Math.min(order.length, round * batchesPerRound * batchSize);
            int to = Math.min(order.length, from + batchesPerRound * batchSize);
            if (from < to) {
                LabeledImages chunk = block.subset(java.util.Arrays.copyOfRange(order, from, to));
                List<DataSet> batches = Minibatches.of(chunk, batchSize, normalization);
                if (augment) {
                    Random random = new Random(Seeds.mix(seed, epoch, partition, round));
                    for (DataSet batch : batches) {
                        Augmentation.apply(batch, block.channels(), block.height(), block.width(), random);
                    }
                }
                out.addAll(batches);
            }
        }
        return out.iterator();
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
