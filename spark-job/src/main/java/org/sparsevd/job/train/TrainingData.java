package org.sparsevd.job.train;

import org.apache.hadoop.conf.Configuration;
import org.sparsevd.datasets.IdxDataset;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.TrainTest;
import org.sparsevd.datasets.TrainingSubset;
import org.sparsevd.job.config.DataOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The validated training and test sets of a run, read once on the driver. */
public final class TrainingData {
    private static final Logger log = LoggerFactory.getLogger(TrainingData.class);

    private final LabeledImages train;
    private final LabeledImages test;

    private TrainingData(LabeledImages train, LabeledImages test) {
        this.train = train;
        this.test = test;
    }

    /** Reads and validates the data named by {@code options}; throws {@code DatasetException} naming a bad file. */
    public static TrainingData load(DataOptions options, long seed, Configuration hadoopConf) {
        TrainTest tt = IdxDataset.loadDirectory(options.train(), options.test(), hadoopConf);
        LabeledImages train = tt.train();
        if (options.limitTrain() > 0 && options.limitTrain() < train.count()) {
            train = TrainingSubset.limit(train, options.limitTrain(), seed);
        }
        log.info("Training data: {}; test data: {}", train, tt.test());
        return new TrainingData(train, tt.test());
    }

    public LabeledImages train() {
        return train;
    }

    public LabeledImages test() {
        return test;
    }
}
