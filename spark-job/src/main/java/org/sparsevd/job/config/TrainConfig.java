package org.sparsevd.job.config;

import java.net.URI;
import java.util.Objects;

/**
 * The whole, validated configuration of one {@code train} run. Every part checks its own values when built, so an
 * instance is always runnable; it is written to {@code run.json} as the run's provenance.
 *
 * @param data     input data ({@code --dataset auto} resolved to the model's own format)
 * @param model    architecture and Sparse VD settings
 * @param schedule epochs, learning rate and KL-weight schedules
 * @param cluster  Spark and data-parallel settings
 * @param output   output directory (any Hadoop FileSystem URI)
 * @param seed     seed of everything random: initialization, subsets, splits, noise
 */
public record TrainConfig(DataOptions data, ModelOptions model, ScheduleOptions schedule, ClusterOptions cluster,
                          URI output, long seed) {
    public TrainConfig {
        Checks.required("--data", data);
        Checks.required("--model", model);
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(cluster, "cluster");
        cluster.checkEvenSplit();
        Checks.required("--output", output);
        if (data.dataset().equals(DataOptions.AUTO)) {
            data = data.withDataset(model.defaultDataset());
        }
    }

    /** {@code relative} (a/b) inside the directory {@code dir}. */
    public static URI child(URI dir, String relative) {
        return Checks.child(dir, relative);
    }

    /** Parses a user-given location (a path or a Hadoop FileSystem URI) for {@code option}. */
    public static URI location(String option, String value) {
        return Checks.location(option, value);
    }
}
