package org.sparsevd.job.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparsevd.core.engine.InputSpec;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.RunReader;
import org.sparsevd.job.output.SweepFiles;

/**
 * A finished training run read for export or evaluation: its {@code model.zip} and {@code run.json}; or the point a
 * sweep selected (its {@code best.json}: that run and that threshold).
 *
 * @param location  the run directory, for messages and provenance (no credentials)
 * @param sweep     the sweep directory it was selected from, or null
 * @param net       the network (masked at inference by its Sparse VD layers)
 * @param run       run.json
 * @param threshold the run's own threshold, or the one the sweep selected
 * @param input     the input shape and preprocessing it was trained with
 */
public record TrainedModel(String location, String sweep, MultiLayerNetwork net, JsonNode run, double threshold,
                           InputSpec input) {

    /** Reads the run or sweep directory at {@code uri}. */
    public static TrainedModel read(URI uri, Configuration conf) {
        String where = Provenance.redact(uri);
        JsonNode best = readJson(uri, SweepFiles.BEST, conf);
        if (best != null) {
            JsonNode selected = best.path("selected");
            String run = selected.path("provenance").path("run").asText(null);
            if (run == null || !selected.path("threshold").isNumber()) {
                throw new JobConfigException("--input " + where + "/" + SweepFiles.BEST
                        + " has no selected point yet");
            }
            URI runUri = URI.create(uri.toString().replaceAll("/+$", "") + "/" + run);
            TrainedModel m = read(runUri, conf);
            return new TrainedModel(m.location, where, m.net, m.run, selected.path("threshold").asDouble(), m.input);
        }
        RunReader.Run r = RunReader.read(uri, conf);
        if (r.info() == null || r.model() == null) {
            throw new JobConfigException("--input " + where + " is not a finished run: it has no "
                    + (r.info() == null ? "run.json" : "model.zip"));
        }
        double threshold = r.info().path("config").path("model").path("threshold").asDouble(Double.NaN);
        return new TrainedModel(where, null, r.model(), r.info(), threshold,
                ModelInput.fromRun(r.info(), where + "/run.json"));
    }

    /** The JSON file {@code name} in directory {@code dir}, or null if it has none (or dir is no directory). */
    static JsonNode readJson(URI dir, String name, Configuration conf) {
        try {
            FileSystem fs = FileSystem.get(dir, conf);
            Path file = new Path(new Path(dir), name);
            if (!fs.exists(file) || fs.getFileStatus(file).isDirectory()) {
                return null;
            }
            try (InputStream in = fs.open(file)) {
                return Json.readingMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new OutputException(Provenance.redact(dir) + "/" + name + " cannot be read: " + e.getMessage(), e);
        }
    }
}
