package org.sparsevd.job.train;

import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.core.seed.Seeds;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.datasets.Cifar10Reader;
import org.sparsevd.datasets.IdxDataset;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.TrainAndTestSets;
import org.sparsevd.datasets.TrainingSubset;
import org.sparsevd.job.config.DataOptions;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.SweepConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validated training, validation and test sets of a run, read once on the driver, and how their pixels become
 * features: IDX images are scaled to [0, 1] (as the reference trainer), CIFAR-10 images are normalized per channel
 * with the mean and standard deviation of the examples trained on.
 *
 * <p>The training set is derived in this order, each step seeded by the run seed: the {@code --limit-train} subset,
 * the {@code --validation} hold-out (stratified by class; its examples keep their true labels and are never trained
 * on), then the {@code --random-labels} of the examples trained on.
 */
public record TrainingData(LabeledImages train, LabeledImages validation, LabeledImages test,
                           ChannelNormalization normalization) {
    private static final Logger log = LoggerFactory.getLogger(TrainingData.class);
    /** Mixed into the run seed for the choice of random labels (the subset uses the run seed itself). */
    private static final long RANDOM_LABELS_STREAM = 0x52414e444c42L;
    /** Mixed into the run seed for the choice of the validation examples. */
    private static final long VALIDATION_STREAM = 0x56414c4944L;

    /**
     * @param train         the examples trained on
     * @param validation    the held-out validation examples, or {@code null} without {@code --validation}
     * @param test          the test examples
     * @param normalization the per-channel normalization of all three, or {@code null} for pixels scaled to [0, 1]
     */
    public TrainingData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
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
        LabeledImages validation = null;
        if (options.validates()) {
            TrainingSubset.Split split = holdOut(options, train, seed);
            train = split.train();
            validation = split.validation();
        }
        if (options.randomLabels() > 0) {
            train = TrainingSubset.randomizeLabels(train, options.randomLabels(), Seeds.mix(seed, RANDOM_LABELS_STREAM));
        }
        ChannelNormalization normalization = cifar ? ChannelNormalization.fit(train) : null;
        log.info("Training data: {}; validation data: {}; test data: {}", train,
                validation == null ? "none" : validation, tt.test());
        return new TrainingData(train, validation, tt.test(), normalization);
    }

    /** The --validation split of {@code train}, or a one-line error naming the value when it holds out too many. */
    private static TrainingSubset.Split holdOut(DataOptions options, LabeledImages train, long seed) {
        try {
            return TrainingSubset.holdOut(train, options.validationCount(train.count()),
                    Seeds.mix(seed, VALIDATION_STREAM));
        } catch (IllegalArgumentException e) {
            throw new JobConfigException("--validation " + SweepConfig.plain(options.validation()) + ": "
                    + e.getMessage());
        }
    }
}
