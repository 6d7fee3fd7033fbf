package org.sparsevd.job.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.metrics.EpochMetrics;

/**
 * Reads a {@code train} output directory on any Hadoop FileSystem: {@code metrics.jsonl} (required, every line
 * checked), {@code run.json} and {@code model.zip} (each optional: a run still in progress has neither).
 * A location that is not a train output is a {@link JobConfigException}; unreadable or corrupt content an
 * {@link OutputException} naming the file (and the line of {@code metrics.jsonl}).
 */
public final class RunReader {
    private static final Logger log = LoggerFactory.getLogger(RunReader.class);

    private RunReader() {
    }

    /**
     * What a train output holds.
     *
     * @param output the directory
     * @param epochs the records of metrics.jsonl, in file order (at least one)
     * @param info   run.json, or null if there is none
     * @param model  model.zip without its updater state, or null if there is none
     */
    public record Run(RunOutput output, List<EpochMetrics> epochs, JsonNode info, MultiLayerNetwork model) {
        /** The location for messages and the report, without credentials. */
        public String location() {
            return Provenance.redact(output.uri());
        }

        public EpochMetrics last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    /** Reads the train output at {@code uri}. */
    public static Run read(URI uri, Configuration conf) {
        String where = "--input " + Provenance.redact(uri);
        RunOutput output = RunOutput.existing(uri, conf, where, "train output directory");
        String text = output.readText(RunFiles.METRICS_JSONL);
        if (text == null) {
            throw new JobConfigException(where + " is not a train output directory: it has no "
                    + RunFiles.METRICS_JSONL);
        }
        String location = Provenance.redact(uri);
        List<EpochMetrics> epochs = parseMetrics(text, location + "/" + RunFiles.METRICS_JSONL);

        JsonNode info = null;
        String runJson = output.readText(RunFiles.RUN);
        if (runJson == null) {
            log.warn("{} has no {} (is the run still in progress?): the report shows no configuration or versions",
                    location, RunFiles.RUN);
        } else {
            info = parseRunJson(runJson, location + "/" + RunFiles.RUN);
        }

        MultiLayerNetwork model = null;
        try {
            if (output.exists(RunFiles.MODEL)) {
                model = ModelSerializer.restoreMultiLayerNetwork(
                        new ByteArrayInputStream(output.read(RunFiles.MODEL)), false);
            } else {
                log.warn("{} has no {} (is the run still in progress?): the report has no weights figure",
                        location, RunFiles.MODEL);
            }
        } catch (IOException | RuntimeException e) {
            throw new OutputException(location + "/" + RunFiles.MODEL + " cannot be read as a DL4J network: "
                    + Json.firstLine(e.getMessage()), e);
        }
        return new Run(output, epochs, info, model);
    }

    /**
     * One record per non-blank line; {@code file} names the source in messages. Records written before validation
     * splits existed have no {@code val_accuracy}: they are read as runs without one ({@link org.sparsevd.job.metrics.AbsentInOlderFiles}).
     */
    static List<EpochMetrics> parseMetrics(String text, String file) {
        List<EpochMetrics> epochs = Json.readLines(text, EpochMetrics.class, file,
                "a valid epoch record");
        if (epochs.isEmpty()) {
            throw new OutputException(file + " is empty: no epoch has finished yet");
        }
        return epochs;
    }

    private static JsonNode parseRunJson(String text, String file) {
        JsonNode node = Json.parse(text, file);
        if (node == null || !node.isObject()) {
            throw new OutputException(file + " is not a JSON object");
        }
        return node;
    }
}
