package org.sparsevd.job.config;

/**
 * How training is spread over Spark: parameter averaging across {@code workers}, each fitting minibatches of
 * {@code batchSize} and averaging every {@code averagingFrequency} minibatches.
 *
 * @param master             Spark master URL, or {@code null}: the one spark-submit set, else {@code local[workers]}
 * @param workers            number of parallel training workers (Spark tasks per averaging round)
 * @param batchSize          minibatch size of each worker
 * @param averagingFrequency minibatches each worker fits between two parameter averagings
 */
public record ClusterOptions(String master, int workers, int batchSize, int averagingFrequency) {
    public ClusterOptions {
        if (master != null && master.isBlank()) {
            throw new JobConfigException("--master must not be empty");
        }
        Checks.positive("--workers", workers);
        Checks.positive("--batch-size", batchSize);
        Checks.positive("--averaging-frequency", averagingFrequency);
    }
}
