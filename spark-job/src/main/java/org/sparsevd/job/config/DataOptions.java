package org.sparsevd.job.config;

import java.net.URI;
import java.util.List;

/**
 * Where the training and test data live, in which format, and how the training set is derived from it.
 *
 * @param train        directory holding the data set (train and, unless {@code test} is given, test); for
 *                     CIFAR-10 the {@code data_batch_*.bin}/{@code test_batch.bin} directory or the
 *                     {@code cifar-10-binary.tar.gz} archive
 * @param test         directory holding the IDX test files, or {@code null} for {@code train}
 * @param limitTrain   use a seeded random subset of this many training examples; 0 for all
 * @param dataset      {@link #IDX} (MNIST, Fashion-MNIST) or {@link #CIFAR10}; {@link #AUTO} is the model's own
 *                     (see {@link TrainConfig})
 * @param randomLabels fraction of training labels replaced by uniformly random ones (seeded), in [0, 1]
 * @param augment      random crop (padding 4) and horizontal flip of every training minibatch
 * @param validation   examples held out of the training set (after {@code limitTrain}) for validation, stratified
 *                     by class and seeded, never trained on: a count (a whole number, at least 1), a fraction of the
 *                     training set in (0, 1), or 0 for none
 */
public record DataOptions(URI train, URI test, int limitTrain, String dataset, double randomLabels,
                          boolean augment, double validation) {
    public static final String IDX = "idx";
    public static final String CIFAR10 = "cifar10";
    public static final String AUTO = "auto";
    public static final List<String> DATASETS = List.of(AUTO, IDX, CIFAR10);

    public DataOptions {
        Checks.required("--data", train);
        Checks.nonNegative("--limit-train", limitTrain);
        Checks.required("--dataset", dataset);
        if (!DATASETS.contains(dataset)) {
            throw new JobConfigException("--dataset must be one of " + String.join(", ", DATASETS) + ", got '"
                    + dataset + "'");
        }
        if (dataset.equals(CIFAR10) && test != null) {
            throw new JobConfigException("--test-data is for IDX data only: CIFAR-10's test_batch.bin is read from "
                    + "--data");
        }
        if (!(randomLabels >= 0 && randomLabels <= 1)) {
            throw new JobConfigException("--random-labels must be a fraction in [0, 1], got " + randomLabels);
        }
        boolean whole = validation == Math.rint(validation);
        if (!(validation >= 0 && validation < Integer.MAX_VALUE) || validation > 1 && !whole) {
            throw new JobConfigException("--validation must be a count of examples (a whole number, at least 1), a "
                    + "fraction in (0, 1), or 0 for none, got " + SweepConfig.plain(validation));
        }
    }

    /** Whether a validation set is held out. */
    public boolean validates() {
        return validation > 0;
    }

    /**
     * How many of {@code trainExamples} are held out: the count, or the fraction of them rounded (at least 1).
     *
     * @param trainExamples the size of the training set before the split
     */
    public int validationCount(int trainExamples) {
        return validation >= 1 ? (int) validation : Math.max(1, (int) Math.round(validation * trainExamples));
    }

    /** The directory the test files are read from. */
    public URI testOrTrain() {
        return test == null ? train : test;
    }

    /** The same options with {@code dataset} instead of {@link #AUTO}. */
    DataOptions withDataset(String dataset) {
        return new DataOptions(train, test, limitTrain, dataset, randomLabels, augment, validation);
    }
}
