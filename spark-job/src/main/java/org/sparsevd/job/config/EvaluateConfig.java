package org.sparsevd.job.config;

import java.net.URI;

/**
 * The validated options of {@code evaluate}.
 *
 * @param model     an exported model file, a model.zip or a run directory
 * @param data      the data set (its test split)
 * @param threshold log alpha threshold of a DL4J model's mask, or NaN for the run's own
 * @param output    where to write the JSON results, or null
 */
public record EvaluateConfig(URI model, URI data, double threshold, URI output) {
    public EvaluateConfig {
        Checks.required("--model", model);
        Checks.required("--data", data);
    }

    public static EvaluateConfig of(String model, String data, Double threshold, String output) {
        if (threshold != null) {
            Checks.finite("--threshold", threshold);
        }
        return new EvaluateConfig(Checks.location("--model", model), Checks.location("--data", data),
                threshold == null ? Double.NaN : threshold, output == null ? null : Checks.location("--output", output));
    }
}
