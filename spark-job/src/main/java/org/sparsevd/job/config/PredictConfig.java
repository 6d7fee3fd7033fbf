package org.sparsevd.job.config;

import java.net.URI;
import java.util.Objects;

/**
 * The validated options of {@code predict}.
 *
 * @param model   an exported model file
 * @param data    IDX or CIFAR-10 data (the {@code split} of it), or a directory of PNG images
 * @param split   which split of IDX or CIFAR-10 data
 * @param output  a new output directory
 * @param cluster Spark master, workers (4 partitions each) and the batch size of the engine
 */
public record PredictConfig(URI model, URI data, DataSplit split, URI output, ClusterOptions cluster) {
    public PredictConfig {
        Checks.required("--model", model);
        Checks.required("--data", data);
        Checks.required("--split", split);
        Checks.required("--output", output);
        Objects.requireNonNull(cluster, "cluster");
    }

    public static PredictConfig of(String model, String data, DataSplit split, String output, String master,
                                   int workers, int batchSize) {
        return new PredictConfig(Checks.location("--model", model), Checks.location("--data", data), split,
                Checks.location("--output", output), new ClusterOptions(master, workers, batchSize, 1));
    }
}
