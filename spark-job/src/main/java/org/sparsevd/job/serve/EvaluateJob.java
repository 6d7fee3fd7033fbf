package org.sparsevd.job.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.datasets.SourceNames;
import org.sparsevd.job.config.DataSplit;
import org.sparsevd.job.config.EvaluateConfig;
import org.sparsevd.job.output.Json;

/** {@code sparsevd evaluate}: a model (engine or DL4J) on the test split of a data set, on this thread. */
public final class EvaluateJob {
    private EvaluateJob() {
    }

    /** Evaluates, writes the JSON if asked, and returns the printed form. */
    public static String run(EvaluateConfig config, Configuration conf) {
        if (config.output() != null) {
            OutputFile.requireAbsent("--output", config.output(), conf);
        }
        LoadedModel model = LoadedModel.read(config.model(), config.threshold(), conf);
        ScoringData test = ScoringData.labelled(config.data(), model.input().shape(), DataSplit.TEST, conf);
        Evaluation e = Scoring.evaluate(model.scorer(), model.input(), test, model.classes(), Scoring.DEFAULT_BATCH);
        if (config.output() != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", model.location());
            json.put("engine", model.kind());
            json.put("data", test.source());
            json.putAll(e.toMap());
            try {
                byte[] bytes = (Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                OutputFile.writeAll(List.of(config.output()), List.of(bytes), conf);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("evaluation is not serializable", ex);
            }
        }
        return model.location() + " (" + model.kind() + ") on " + SourceNames.redact(test.source()) + "\n" + e.table()
                + (config.output() == null ? "" : "Wrote " + SourceNames.redact(config.output().toString()) + "\n");
    }
}
