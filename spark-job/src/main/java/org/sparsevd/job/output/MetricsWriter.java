package org.sparsevd.job.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;

/**
 * Keeps a run's epoch metrics and rewrites {@code metrics.jsonl} (one JSON object per epoch) and
 * {@code metrics.csv} (one row per epoch, one column group per layer) after every epoch. Files are replaced
 * atomically, so they work on file systems without append (S3) and are never seen half-written.
 */
public final class MetricsWriter {
    private static final ObjectMapper JSON = Json.mapper();

    private final RunOutput output;
    private final List<EpochMetrics> epochs = new ArrayList<>();

    public MetricsWriter(RunOutput output) {
        this.output = output;
    }

    /**
     * Continues a run: the files are rewritten to hold exactly {@code previous} (the epochs of the checkpoint being
     * resumed), dropping any epoch written after it. The checkpoint holds its own last epoch's times without its
     * write; when {@link RunFiles#METRICS_JSONL}, written after the checkpoint, has that epoch, its times (the write included) are
     * kept.
     */
    public static MetricsWriter resumed(RunOutput output, List<EpochMetrics> previous) {
        MetricsWriter w = new MetricsWriter(output);
        w.epochs.addAll(previous);
        if (!previous.isEmpty()) {
            int last = previous.size() - 1;
            EpochMetrics written = writtenEpoch(output, previous.get(last).epoch());
            if (written != null) {
                w.epochs.set(last, previous.get(last).withTimes(written.seconds(), written.elapsedSeconds()));
            }
            w.write();
        }
        return w;
    }

    /** The record of {@code epoch} in the output's {@link RunFiles#METRICS_JSONL}, or null if it has none (or is unreadable). */
    private static EpochMetrics writtenEpoch(RunOutput output, int epoch) {
        try {
            String text = output.readText(RunFiles.METRICS_JSONL);
            if (text == null) {
                return null;
            }
            return Json.readLines(text, EpochMetrics.class, RunFiles.METRICS_JSONL, "an epoch record").stream()
                    .filter(m -> m.epoch() == epoch).findFirst().orElse(null);
        } catch (OutputException e) {
            return null;
        }
    }

    /** Appends one epoch and rewrites both files. */
    public void add(EpochMetrics m) {
        epochs.add(m);
        write();
    }

    private void write() {
        StringBuilder jsonl = new StringBuilder();
        for (EpochMetrics e : epochs) {
            jsonl.append(toJson(e)).append('\n');
        }
        output.writeText(RunFiles.METRICS_JSONL, jsonl.toString());
        output.writeText(RunFiles.METRICS_CSV, toCsv(epochs));
    }

    public List<EpochMetrics> epochs() {
        return List.copyOf(epochs);
    }

    static String toJson(EpochMetrics m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("epoch metrics are not serializable", e);
        }
    }

    static String toCsv(List<EpochMetrics> rows) {
        StringBuilder sb = new StringBuilder("epoch,seconds,elapsed_seconds,kl_weight,learning_rate,data_loss,kl,sgvlb,"
                + "train_examples,val_accuracy,test_accuracy,compression,train_accuracy,test_loss");
        for (LayerMetrics l : rows.get(0).layers()) {
            for (String col : List.of("weights", "nonzero", "sparsity", "kl", "mean_log_alpha")) {
                sb.append(',').append(l.name()).append('_').append(col);
            }
        }
        sb.append('\n');
        for (EpochMetrics m : rows) {
            sb.append(m.epoch()).append(',').append(num(m.seconds())).append(',').append(num(m.elapsedSeconds()))
                    .append(',').append(num(m.klWeight())).append(',').append(num(m.learningRate()))
                    .append(',').append(num(m.dataLoss())).append(',').append(num(m.kl()))
                    .append(',').append(num(m.sgvlb())).append(',').append(m.trainExamples())
                    .append(',').append(m.valAccuracy() == null ? "" : num(m.valAccuracy()))
                    .append(',').append(num(m.testAccuracy())).append(',').append(num(m.compression()))
                    .append(',').append(m.trainAccuracy() == null ? "" : num(m.trainAccuracy()))
                    .append(',').append(m.testLoss() == null ? "" : num(m.testLoss()));
            for (LayerMetrics l : m.layers()) {
                sb.append(',').append(l.weights()).append(',').append(l.nonzero()).append(',').append(num(l.sparsity()))
                        .append(',').append(num(l.kl())).append(',')
                        .append(l.meanLogAlpha() == null ? "" : num(l.meanLogAlpha()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
