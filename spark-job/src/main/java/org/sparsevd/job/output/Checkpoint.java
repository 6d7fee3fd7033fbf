package org.sparsevd.job.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparsevd.job.config.ClusterOptions;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.metrics.EpochMetrics;

/**
 * The state of a {@code train} run after a completed epoch, enough to continue it as if it had never stopped:
 * {@code checkpoint.zip} in the output directory, holding {@code model.zip} (parameters, Adam state, and the
 * configuration with its iteration count, which Adam's bias correction uses) and {@code state.json} (the run's
 * configuration, the epochs done, i.e. the schedules' position, the seed, and the metrics so far).
 *
 * <p>Nothing else random has state: the minibatch order is seeded by (seed, epoch, partition) and the noise by
 * (seed, epoch, minibatch), so a run continued from epoch k draws what the uninterrupted run drew.
 *
 * <p>The file is written whole to a temporary name and renamed over the previous one ({@link RunOutput#write}), so a
 * reader sees the previous complete checkpoint or the new one, never a mix. Reading checks the zip's CRCs, the
 * format and that the checkpoint belongs to the configuration of the run being resumed.
 *
 * @param epochsDone     completed epochs; training continues with 0-based epoch {@code epochsDone}
 * @param elapsedSeconds training time of those epochs
 * @param metrics        their metrics, one per epoch
 * @param network        the network after them, with its updater state
 */
public record Checkpoint(int epochsDone, double elapsedSeconds, List<EpochMetrics> metrics,
                         MultiLayerNetwork network) {
    static final String STATE = "state.json";
    static final String MODEL = RunFiles.MODEL;
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = Json.readingMapper();

    public Checkpoint {
        if (epochsDone < 1 || metrics.size() != epochsDone) {
            throw new IllegalArgumentException(epochsDone + " epochs done with " + metrics.size() + " metrics");
        }
        metrics = List.copyOf(metrics);
    }

    /** Writes the checkpoint of a run of {@code config} atomically, replacing the previous one. */
    public void writeTo(RunOutput output, TrainConfig config, long trainExamples) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("format", FORMAT);
        state.put("written_at", Instant.now().toString());
        state.put("epochs_done", epochsDone);
        state.put("elapsed_seconds", elapsedSeconds);
        state.put("iterations", network.getLayerWiseConfigurations().getIterationCount());
        state.put("train_examples", trainExamples);
        state.put("seed", config.seed());
        state.put("config", config);
        state.put("metrics", metrics);
        byte[] stateJson;
        try {
            stateJson = Json.mapper().writeValueAsBytes(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checkpoint state is not serializable", e);
        }
        output.write(RunFiles.CHECKPOINT, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(STATE));
            zip.write(stateJson);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(MODEL));
            ModelSerializer.writeModel(network, new NonClosing(zip), true);
            zip.closeEntry();
            zip.finish();
        });
    }

    /**
     * Reads the checkpoint of the run in {@code output}, which must have been written by a run of {@code config}
     * (the Spark master may differ). Every problem is a one-line
     * {@link JobConfigException} (wrong run) or {@link OutputException} (missing or corrupt file).
     */
    public static Checkpoint read(RunOutput output, TrainConfig config) {
        String where = Provenance.redact(output.uri()) + "/" + RunFiles.CHECKPOINT;
        if (!output.exists(RunFiles.CHECKPOINT)) {
            throw new OutputException("--resume: " + Provenance.redact(output.uri()) + " has no " + RunFiles.CHECKPOINT
                    + " (no epoch of that run completed): nothing to resume; run without --resume to start over");
        }
        byte[] bytes;
        try {
            bytes = output.read(RunFiles.CHECKPOINT);
        } catch (OutputException e) {
            throw new OutputException("--resume: " + where + " is corrupt or unreadable ("
                    + Json.firstLine(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()) + ")", e);
        }
        byte[] stateJson = null;
        byte[] model = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] content = zip.readAllBytes();
                switch (e.getName()) {
                    case STATE -> stateJson = content;
                    case MODEL -> model = content;
                    default -> throw new OutputException("--resume: " + where + " is not a sparsevd checkpoint: "
                            + "unexpected entry " + e.getName());
                }
            }
        } catch (IOException e) {
            throw new OutputException("--resume: " + where + " is corrupt (" + e.getMessage()
                    + "); cannot resume", e);
        }
        if (stateJson == null || model == null) {
            throw new OutputException("--resume: " + where + " is corrupt or not a sparsevd checkpoint: it lacks "
                    + (stateJson == null ? STATE : MODEL));
        }
        JsonNode state;
        try {
            state = JSON.readTree(stateJson);
        } catch (IOException e) {
            throw new OutputException("--resume: " + where + ": " + STATE + " is not valid JSON", e);
        }
        if (state == null || state.path("format").asInt() != FORMAT) {
            throw new OutputException("--resume: " + where + " has an unknown format (expected format " + FORMAT
                    + ")");
        }
        try {
            checkSameRun(where, state.get("config"), JSON.readTree(JSON.writeValueAsBytes(config)));
        } catch (IOException e) {
            throw new IllegalStateException("the configuration is not serializable", e);
        }

        List<EpochMetrics> metrics = new ArrayList<>();
        MultiLayerNetwork net;
        try {
            for (JsonNode m : state.withArray("metrics")) {
                metrics.add(JSON.treeToValue(m, EpochMetrics.class));
            }
            net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model), true);
        } catch (IOException | RuntimeException e) {
            throw new OutputException("--resume: " + where + " is corrupt: " + Json.firstLine(e.getMessage()), e);
        }
        int done = state.path("epochs_done").asInt(-1);
        if (done < 1 || done > config.schedule().epochs() || metrics.size() != done) {
            throw new OutputException("--resume: " + where + " is corrupt: " + done + " epochs done, "
                    + metrics.size() + " epochs of metrics");
        }
        return new Checkpoint(done, state.path("elapsed_seconds").asDouble(), metrics, net);
    }

    /**
     * Fails unless {@code saved} (the checkpoint's configuration) and {@code now} agree on everything but the Spark
     * master; the message names the first few differing settings. A checkpoint without {@code cluster.sync} counts as
     * {@code --sync average}, so that a run checkpointed before the option existed resumes with it.
     */
    private static void checkSameRun(String where, JsonNode saved, JsonNode now) {
        if (saved == null || !saved.isObject()) {
            throw new OutputException("--resume: " + where + " has no run configuration");
        }
        ObjectNode a = saved.deepCopy();
        ObjectNode b = now.deepCopy();
        for (ObjectNode config : List.of(a, b)) {
            if (config.get("cluster") instanceof ObjectNode cluster) {
                cluster.remove("master");
            }
        }
        if (a.get("cluster") instanceof ObjectNode cluster && !cluster.has("sync")) {
            // written before --sync existed: that run was trained by parameter averaging
            cluster.put("sync", ClusterOptions.AVERAGE);
        }
        List<String> differences = new ArrayList<>();
        for (Json.Difference d : Json.diff(a, b)) {
            differences.add(d.recorded().isMissingNode() ? d.path() + " (not in the checkpoint)"
                    : d.path() + " (checkpoint " + d.recorded() + ", now "
                    + (d.given().isMissingNode() ? "unset" : d.given().toString()) + ")");
        }
        if (!differences.isEmpty()) {
            throw new JobConfigException("--resume: " + where + " belongs to another run; it differs in "
                    + String.join(", ", differences.subList(0, Math.min(3, differences.size())))
                    + (differences.size() > 3 ? " and " + (differences.size() - 3) + " more" : "")
                    + "; resume with the run's own options");
        }
    }

    /** Lets {@link ModelSerializer} close what it writes to without closing the enclosing zip. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
