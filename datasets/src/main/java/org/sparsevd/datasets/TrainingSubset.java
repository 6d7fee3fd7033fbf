package org.sparsevd.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded ways of deriving an experiment's training set from a full one: fewer examples, partly random labels, or a
 * validation set held out of it.
 */
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
     * A training set split in two: the examples trained on and the held-out validation examples.
     *
     * @param train      the examples left to train on
     * @param validation the held-out examples, never trained on
     */
    public record Split(LabeledImages train, LabeledImages validation) {
        public Split {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(validation, "validation");
        }
    }

    /**
     * The most examples {@link #holdOut} can hold out of {@code data}: all but one example of every class present,
     * so that every class is still trained on.
     */
    public static int maxHeldOut(LabeledImages data) {
        Objects.requireNonNull(data, "data");
        return data.count() - (int) Arrays.stream(data.classCounts()).filter(c -> c > 0).count();
    }

    /**
     * Holds out {@code n} examples, stratified by class and chosen by the seed: class {@code c}, with
     * {@code n_c} of the {@code count} examples, gives {@code n * n_c / count} of them rounded by largest remainder
     * (a class keeps at least one example to train on). Both parts keep the examples' original order.
     *
     * @param data the training set
     * @param n    how many examples to hold out, in {@code [1, maxHeldOut(data)]}
     * @param seed seed of the choice
     * @return the examples left to train on and the held-out ones
     */
    public static Split holdOut(LabeledImages data, int n, long seed) {
        Objects.requireNonNull(data, "data");
        int max = maxHeldOut(data);
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("cannot hold out " + n + " of " + data.count() + " examples in "
                    + (data.count() - max) + " classes: between 1 and " + max
                    + " can be (every class keeps one example to train on)");
        }
        int[] quotas = stratifiedQuotas(data.classCounts(), n);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < data.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < data.count(); i++) {
            byClass.get(data.label(i)).add(i);
        }
        Random random = new Random(seed);
        boolean[] held = new boolean[data.count()];
        for (int c = 0; c < quotas.length; c++) {
            List<Integer> members = byClass.get(c);
            for (int k : chooseIndices(members.size(), quotas[c], random)) {
                held[members.get(k)] = true;
            }
        }
        int[] trainIndices = new int[data.count() - n];
        int[] heldIndices = new int[n];
        int t = 0;
        int v = 0;
        for (int i = 0; i < held.length; i++) {
            if (held[i]) {
                heldIndices[v++] = i;
            } else {
                trainIndices[t++] = i;
            }
        }
        LOG.info("Held out {} of {} examples of {} for validation, stratified by class (seed {})", n, data.count(),
                data.source(), seed);
        return new Split(data.subset(trainIndices), data.subset(heldIndices));
    }

    /**
     * How many examples of each class to hold out: {@code n * count_c / total} rounded down, then one more for the
     * classes with the largest remainders (ties: the lower class), never all of a class.
     */
    static int[] stratifiedQuotas(int[] classCounts, int n) {
        long total = Arrays.stream(classCounts).asLongStream().sum();
        int[] quotas = new int[classCounts.length];
        double[] remainders = new double[classCounts.length];
        int assigned = 0;
        for (int c = 0; c < classCounts.length; c++) {
            double exact = (double) n * classCounts[c] / total;
            quotas[c] = Math.min((int) Math.floor(exact), Math.max(classCounts[c] - 1, 0));
            remainders[c] = exact - quotas[c];
            assigned += quotas[c];
        }
        while (assigned < n) {
            int pick = -1;
            for (int c = 0; c < classCounts.length; c++) {
                if (quotas[c] < classCounts[c] - 1 && (pick < 0 || remainders[c] > remainders[pick])) {
                    pick = c;
                }
            }
            quotas[pick]++;
            remainders[pick] -= 1;
            assigned++;
        }
        return quotas;
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
