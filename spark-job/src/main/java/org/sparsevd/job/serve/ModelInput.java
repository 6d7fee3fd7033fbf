package org.sparsevd.job.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparsevd.core.engine.InputSpec;
import org.sparsevd.core.engine.Shape;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.job.config.JobConfigException;

/**
 * A run's input shape and preprocessing as {@code run.json} records it under {@value #RUN_KEY}: {@code channels},
 * {@code height}, {@code width}, per-channel {@code mean} and {@code std} of pixels scaled to [0, 1] (IDX data: 0 and
 * 1, CIFAR-10: the training set's). Runs written before it was recorded have none: IDX runs are then known to use
 * [0, 1] scaling; a CIFAR-10 run's normalization is lost.
 */
public final class ModelInput {
    /** The key of the record in run.json. */
    public static final String RUN_KEY = "input";

    private ModelInput() {
    }

    /** The record of a run trained on {@code train}, normalized by {@code normOrNull} (null: scaled to [0, 1]). */
    public static Map<String, Object> record(LabeledImages train, ChannelNormalization normOrNull) {
        int c = train.channels();
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int i = 0; i < c; i++) {
            mean[i] = normOrNull == null ? 0 : normOrNull.mean(i);
            std[i] = normOrNull == null ? 1 : normOrNull.std(i);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("channels", c);
        r.put("height", train.height());
        r.put("width", train.width());
        r.put("mean", mean);
        r.put("std", std);
        return r;
    }

    /** The input of the run whose run.json is {@code run} (named {@code location} in messages). */
    public static InputSpec fromRun(JsonNode run, String location) {
        JsonNode r = run.get(RUN_KEY);
        if (r == null) {
            String dataset = run.path("config").path("data").path("dataset").asText("");
            if (List.of("idx", "auto", "").contains(dataset)
                    && List.of("lenet300", "lenet5").contains(run.path("config").path("model").path("name").asText())) {
                return InputSpec.unitScale(new Shape(1, 28, 28));
            }
            throw new JobConfigException(location + " records no input normalization (the run was trained before "
                    + "sparsevd recorded it in run.json); the per-channel mean and std of its " + dataset
                    + " training set are unknown, so retrain it with this version");
        }
        try {
            Shape shape = new Shape(r.path("channels").asInt(), r.path("height").asInt(), r.path("width").asInt());
            double[] mean = new double[r.path("mean").size()];
            double[] std = new double[r.path("std").size()];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = r.path("mean").get(i).asDouble();
            }
            for (int i = 0; i < std.length; i++) {
                std[i] = r.path("std").get(i).asDouble();
            }
            return new InputSpec(shape, mean, std);
        } catch (IllegalArgumentException e) {
            throw new JobConfigException(location + ": its \"" + RUN_KEY + "\" record is invalid: " + e.getMessage());
        }
    }
}
