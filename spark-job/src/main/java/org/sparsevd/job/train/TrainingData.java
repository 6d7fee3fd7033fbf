package org.sparsevd.job.train;

import org.apache.hadoop.conf.Configuration;
import org.sparsevd.core.seed.Seeds;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.datasets.Cifar10Reader;
import org.sparsevd.datasets.IdxDataset;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.TrainAndTestSets;
import org.sparsevd.datasets.TrainingSubset;
import org.sparsevd.job.config.DataOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validated training and test sets of a run, read once on the driver, and how their pixels become features:
 * IDX images are scaled to [0, 1] (as the reference trainer), CIFAR-10 images are normalized per channel with the
 * mean and standard deviation of the training set.
 */
public final class TrainingData {
    private static final Logger log = LoggerFactory.getLogger(TrainingData.class);
    /** Mixed into the run seed for the choice of random labels (the subset uses the run seed itself). */
    private static final long RANDOM_LABELS_STREAM = 0x52414e444c42L;

    private final LabeledImages train;
    private final LabeledImages test;
    private final ChannelNormalization normalization;

    private TrainingData(LabeledImages train, LabeledImages test, ChannelNormalization normalization) {
        this.train = train;
        this.test = test;
        this.normalization = normalization;
    }

    /**
     * Reads and validates the data named by {@code options} (its dataset resolved, not {@code auto}); throws
     * {@code DatasetException} naming a bad file.
     */
    public static TrainingData load(DataOptions options, long seed, Configuration hadoopConf) {
        boolean cifar = options.dataset().equals(DataOptions.CIFAR10);
        TrainAndTestSets tt = cifar ? Cifar10Reader.load(options.train(), hadoopConf)
                : IdxDataset.loadDirectory(options.train(), options.test(), hadoopConf);
        LabeledImages train = tt.train();
        if (options.limitTrain() > 0 && options.limitTrain() < train.count()) {
            train = TrainingSubset.limit(train, options.limitTrain(), seed);
        }
        if (options.randomLabels() > 0) {
            train = TrainingSubset.randomizeLabels(train, options.randomLabels(), Seeds.mix(seed, RANDOM_LABELS_STREAM));
        }
        ChannelNormalization normalization = cifar ? ChannelNormalization.fit(train) : null;
        log.info("Training data: {}; test data: {}", train, tt.test());
        return new TrainingData(train, tt.test(), normalization);
    }

    public LabeledImages train() {
        return train;
    }

    public LabeledImages test() {
        return test;
    }

    /** The per-channel normalization of both sets, or {@code null} for pixels scaled to [0, 1]. */
    public ChannelNormalization normalization() {
        return normalization;
    }
}
