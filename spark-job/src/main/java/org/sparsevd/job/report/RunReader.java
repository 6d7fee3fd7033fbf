package org.sparsevd.job.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.job.TrainJob;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.MetricsWriter;
import org.sparsevd.job.output.JsonLines;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.Provenance;

/**
 * Reads a {@code train} output directory on any Hadoop FileSystem: {@code metrics.jsonl} (required, every line
 * checked), {@code run.json} and {@code model.zip} (each optional: a run still in progress has neither).
 * A location that is not a train output is a {@link JobConfigException}; unreadable or corrupt content an
 * {@link OutputException} naming the file (and the line of {@code metrics.jsonl}).
 */
public final class RunReader {
    private static final Logger log = LoggerFactory.getLogger(RunReader.class);

    private static final ObjectMapper JSON = MetricsWriter.readingMapper();

    private RunReader() {
    }

    /**
     * What a train output holds.
     *
     * @param uri    the directory, as given
     * @param dir    its qualified path
     * @param fs     its file system
     * @param epochs the records of metrics.jsonl, in file order (at least one)
     * @param info   run.json, or null if there is none
     * @param model  model.zip without its updater state, or null if there is none
     */
    public record Run(URI uri, Path dir, FileSystem fs, List<EpochMetrics> epochs, JsonNode info,
                      MultiLayerNetwork model) {
        /** The location for messages and the report, without credentials. */
        public String location() {
            return Provenance.redact(uri);
        }

        public EpochMetrics last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    /** Reads the train output at {@code uri}. */
    public static Run read(URI uri, Configuration conf) {
        String where = "--input " + Provenance.redact(uri);
        FileSystem fs;
        Path dir;
        try {
            fs = FileSystem.get(uri, conf);
            dir = fs.makeQualified(new Path(uri));
            if (!fs.exists(dir)) {
                throw new JobConfigException(where + " does not exist");
            }
            if (!fs.getFileStatus(dir).isDirectory()) {
                throw new JobConfigException(where + " is a file, not a train output directory");
            }
        } catch (IOException e) {
            throw new OutputException(where + " cannot be read: " + e.getMessage(), e);
        }
        Path metrics = new Path(dir, MetricsWriter.JSONL);
        String text = readText(fs, metrics, where);
        if (text == null) {
            throw new JobConfigException(where + " is not a train output directory: it has no "
                    + MetricsWriter.JSONL);
        }
        String location = Provenance.redact(uri);
        List<EpochMetrics> epochs = parseMetrics(text, location + "/" + MetricsWriter.JSONL);

        JsonNode info = null;
        String runJson = readText(fs, new Path(dir, TrainJob.RUN_FILE), where);
        if (runJson == null) {
            log.warn("{} has no {} (is the run still in progress?): the report shows no configuration or versions",
                    location, TrainJob.RUN_FILE);
        } else {
            info = parseRunJson(runJson, location + "/" + TrainJob.RUN_FILE);
        }

        MultiLayerNetwork model = null;
        Path modelPath = new Path(dir, TrainJob.MODEL_FILE);
        try {
            if (fs.exists(modelPath)) {
                try (InputStream in = fs.open(modelPath)) {
                    model = ModelSerializer.restoreMultiLayerNetwork(in, false);
                }
            } else {
                log.warn("{} has no {} (is the run still in progress?): the report has no weights figure",
                        location, TrainJob.MODEL_FILE);
            }
        } catch (IOException | RuntimeException e) {
            throw new OutputException(location + "/" + TrainJob.MODEL_FILE + " cannot be read as a DL4J network: "
                    + JsonLines.firstLine(e.getMessage()), e);
        }
        return new Run(uri, dir, fs, epochs, info, model);
    }

    /**
     * One record per non-blank line; {@code file} names the source in messages. Records written before validation
     * splits existed have no {@code val_accuracy}: they are read as runs without one.
     */
    static List<EpochMetrics> parseMetrics(String text, String file) {
        List<EpochMetrics> epochs = JsonLines.read(JSON, withValAccuracy(text), EpochMetrics.class, file,
                "a valid epoch record");
        if (epochs.isEmpty()) {
            throw new OutputException(file + " is empty: no epoch has finished yet");
        }
        return epochs;
    }

    /** {@code text} with {@code "val_accuracy": null} added to every JSON object line that lacks it. */
    private static String withValAccuracy(String text) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (String line : text.split("\n", -1)) {
            if (!line.isBlank() && !line.contains("\"val_accuracy\"")) {
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
                        line = object.putNull("val_accuracy").toString();
                    }
                } catch (JsonProcessingException e) {
                    // left as it is: JsonLines reports the line
                }
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static JsonNode parseRunJson(String text, String file) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new OutputException(file + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new OutputException(file + " is not valid JSON: " + JsonLines.firstLine(e.getOriginalMessage()), e);
        }
    }

    /** The file's text, or null if it does not exist. */
    private static String readText(FileSystem fs, Path file, String where) {
        try {
            FileStatus st = fs.getFileStatus(file);
            if (st.isDirectory()) {
                throw new JobConfigException(where + ": " + file.getName() + " is a directory, not a file");
            }
            try (InputStream in = fs.open(file)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (java.io.FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new OutputException(where + ": " + file.getName() + " cannot be read: " + e.getMessage(), e);
        }
    }
}
