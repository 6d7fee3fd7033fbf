package org.sparsevd.job.config;

import java.net.URI;

/**
 * Where the training and test data live and how much of the training set is used.
 *
 * @param train     directory holding the standard IDX files (train and, unless {@code test} is given, test)
 * @param test      directory holding the test IDX files, or {@code null} for {@code train}
 * @param limitTrain use a seeded random subset of this many training examples; 0 for all
 */
public record DataOptions(URI train, URI test, int limitTrain) {
    public DataOptions {
        Checks.required("--data", train);
        Checks.nonNegative("--limit-train", limitTrain);
    }

    /** The directory the test files are read from. */
    public URI testOrTrain() {
        return test == null ? train : test;
    }
}
