package org.sparsevd.datasets;

import java.util.Objects;

/** A training set and the test set that goes with it: same image shape, same classes. Immutable. */
public final class TrainAndTestSets {

    private final LabeledImages train;
    private final LabeledImages test;

    /**
     * @param train the training set
     * @param test  the test set, with the same channels, height, width and number of classes
     */
    public TrainAndTestSets(LabeledImages train, LabeledImages test) {
        this.train = Objects.requireNonNull(train, "train");
        this.test = Objects.requireNonNull(test, "test");
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("train and test sets differ in shape or classes: " + train
                    + " vs " + test);
        }
    }

    /** @return the training set */
    public LabeledImages train() {
        return train;
    }

    /** @return the test set */
    public LabeledImages test() {
        return test;
    }

    @Override
    public String toString() {
        return "train: " + train + "; test: " + test;
    }
}
