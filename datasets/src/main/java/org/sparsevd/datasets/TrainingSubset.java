package org.sparsevd.datasets;

import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Seeded ways of deriving an experiment's training set from a full one: fewer examples, or partly random labels. */
public final class TrainingSubset {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSubset.class);

    private TrainingSubset() {
    }

    /**
     * A random subset of {@code n} distinct examples, the same for the same data and seed.
     *
     * @param data the full set
     * @param n    how many examples to keep, at least 1; if it is at least {@code data.count()}, {@code data} itself
     *             is returned
     * @param seed seed of the choice
     * @return {@code min(n, count)} examples of {@code data}
     */
    public static LabeledImages limit(LabeledImages data, int n, long seed) {
        Objects.requireNonNull(data, "data");
        if (n < 1) {
            throw new IllegalArgumentException("the number of examples to keep must be at least 1, got " + n);
        }
        if (n >= data.count()) {
            return data;
        }
        LabeledImages subset = data.subset(chooseIndices(data.count(), n, new Random(seed)));
        LOG.info("Kept {} of {} examples of {} (seed {})", n, data.count(), data.source(), seed);
        return subset;
    }

    /**
     * Replaces the labels of exactly {@code round(fraction * count)} examples, chosen by the seed, with labels drawn
     * uniformly from {@code [0, numClasses)}; a drawn label may happen to equal the original one. Pixels are shared
     * with {@code data}.
     *
     * @param data     the full set
     * @param fraction fraction of the examples whose label is replaced, in {@code [0, 1]}
     * @param seed     seed of the choice of examples and of the new labels
     * @return the same examples with partly random labels
     */
    public static LabeledImages randomizeLabels(LabeledImages data, double fraction, long seed) {
        Objects.requireNonNull(data, "data");
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the fraction of random labels must be in [0, 1], got " + fraction);
        }
        int replaced = (int) Math.round(fraction * data.count());
        Random random = new Random(seed);
        byte[] labels = data.labelBytes();
        for (int index : chooseIndices(data.count(), replaced, random)) {
            labels[index] = (byte) random.nextInt(data.numClasses());
        }
        LOG.info("Replaced {} of {} labels of {} by random ones (seed {})", replaced, data.count(), data.source(),
                seed);
        return data.withLabels(labels);
    }

    /**
     * Chooses {@code k} distinct indices of {@code [0, count)} uniformly at random (a partial Fisher-Yates shuffle),
     * drawing {@code k} numbers from {@code random}.
     *
     * @return the chosen indices, in the order they were drawn
     */
    static int[] chooseIndices(int count, int k, Random random) {
        if (k < 0 || k > count) {
            throw new IllegalArgumentException("cannot choose " + k + " of " + count + " indices");
        }
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(count - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        int[] chosen = new int[k];
        System.arraycopy(indices, 0, chosen, 0, k);
        return chosen;
    }
}
