package org.sparsevd.job.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.PointStats;
import org.sparsevd.job.metrics.PointProvenance;
import org.sparsevd.job.metrics.SweepPoint;
import org.sparsevd.job.metrics.SweepSelection;
import org.sparsevd.job.output.Checkpoint;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.output.RunOutput;
import org.sparsevd.job.output.SweepFiles;
import org.sparsevd.job.output.SweepRecord;

/**
 * A sweep's output directory: {@code sweep.json} (the spec it was started with), {@code sweep.jsonl} and
 * {@code sweep.csv} (one row per finished (point, seed), in spec order, append-only: a row, once written, stays the
 * same bytes, so it holds nothing that later rows change), {@code best.json} (the selected point and the Pareto
 * front over the rows recorded so far, means and standard deviations over the seeds) and {@code runs/}. All files are
 * rewritten atomically after each training run, with all the rows of that run at once, so the rows are the record of
 * which runs are finished: a restarted sweep reads them back and runs only the (KL weight, seed) runs that have none,
 * continuing an unfinished run from its last checkpoint ({@link #prepareRun}).
 */
public final class SweepOutput {
    private static final Logger log = LoggerFactory.getLogger(SweepOutput.class);

    private static final ObjectMapper JSON = Json.mapper();

    private final SweepConfig config;
    private final boolean resuming;
    private final List<SweepPoint> points;
    private RunOutput output;
    private boolean recordedHere;

    private SweepOutput(SweepConfig config, boolean resuming, List<SweepPoint> points) {
        this.config = config;
        this.resuming = resuming;
        this.points = points;
    }

    /**
     * Checks the output location without changing anything: a new (missing or empty) directory, or the output of
     * a sweep with the same spec, whose finished points are read back. Anything else is refused.
     */
    public static SweepOutput prepare(SweepConfig config, Configuration conf) {
        var uri = config.train().output();
        String where = "--output " + Provenance.redact(uri);
        try {
            FileSystem fs = FileSystem.get(uri, conf);
            Path dir = new Path(uri);
            if (!fs.exists(dir) || fs.getFileStatus(dir).isDirectory() && fs.listStatus(dir).length == 0) {
                return new SweepOutput(config, false, new ArrayList<>());
            }
            if (!fs.getFileStatus(dir).isDirectory()) {
                throw new OutputException(where + " exists and is a file, not a directory");
            }
        } catch (IOException e) {
            throw new OutputException(where + " cannot be used: " + e.getMessage(), e);
        }
        RunOutput existing = RunOutput.open(uri, conf);
        String recorded = existing.readText(SweepFiles.SPEC);
        if (recorded == null) {
            throw new OutputException(where + " already exists and is not a sweep output (it has no " + SweepFiles.SPEC
                    + "); choose a new directory or remove it");
        }
        checkSameSpec(Json.parse(recorded, SweepFiles.SPEC).path("spec"), spec(config), where);
        String rows = existing.readText(SweepFiles.ROWS);
        SweepOutput out = new SweepOutput(config, true, rows == null ? new ArrayList<>() : finished(config,
                SweepRecord.parseRows(rows, Provenance.redact(uri) + "/" + SweepFiles.ROWS)));
        out.output = existing;
        return out;
    }

    /** The spec a sweep is identified by: its whole configuration except where it writes and which master runs it. */
    static JsonNode spec(SweepConfig config) {
        ObjectNode spec = JSON.valueToTree(config);
        ObjectNode train = (ObjectNode) spec.get("train");
        train.remove("output");
        ((ObjectNode) train.get("cluster")).remove("master");
        return Json.parse(spec.toString(), SweepFiles.SPEC); // as read back from the file: the same node types
    }

    /** Whether this output was started by an earlier invocation (with the same spec). */
    public boolean resuming() {
        return resuming;
    }

    /** The points recorded so far, in spec order. */
    public List<SweepPoint> points() {
        return List.copyOf(points);
    }

    /** Whether every point of the run of {@code klWeight} and {@code seed} is recorded. */
    public boolean finished(double klWeight, long seed) {
        return points.stream().anyMatch(p -> p.ofRun(klWeight, seed));
    }

    /** Creates the directory and records the spec (a new sweep), or takes the existing one (a resumed sweep). */
    public void start(Map<String, String> versions, Configuration conf) {
        if (output != null) {
            return;
        }
        output = RunOutput.create(config.train().output(), conf);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("command", "sweep");
        record.put("spec", spec(config));
        record.put("points", config.points());
        record.put("rows", config.rows());
        record.put("started_at", Instant.now().toString());
        record.put("versions", versions);
        output.writeText(SweepFiles.SPEC, Json.pretty(record));
    }

    /** How the training run of a KL weight without recorded points starts. */
    public enum RunStart {
        /** Nothing usable of an earlier attempt: train from the start (whatever was there is removed). */
        FRESH,
        /** An earlier attempt's checkpoint of this run: continue from it ({@code TrainJob} with resume). */
        CONTINUE,
        /** An earlier attempt finished training (run.json written) but was stopped before recording: evaluate it. */
        TRAINED
    }

    /**
     * Prepares the directory of {@code run} (the training run of {@code klWeight} and {@code seed}, whose points are
     * not recorded)
     * from what an earlier attempt left there: a completed run or a checkpoint that belongs to {@code run} is kept;
     * anything else (a run killed before its first checkpoint, a corrupt or foreign checkpoint) is removed.
     */
    public RunStart prepareRun(double klWeight, long seed, TrainConfig run, Configuration conf) {
        String dir = SweepConfig.runDirectory(klWeight, seed);
        if (!output.exists(dir)) {
            return RunStart.FRESH;
        }
        try {
            RunOutput previous = RunOutput.open(run.output(), conf);
            Checkpoint checkpoint = Checkpoint.read(previous, run);
            if (previous.exists(RunFiles.RUN) && previous.exists(RunFiles.MODEL)) {
                log.info("Sweep: {} of an earlier attempt finished training; evaluating it", dir);
                return RunStart.TRAINED;
            }
            log.info("Sweep: continuing the unfinished {} of an earlier attempt from its checkpoint (epoch {}/{})",
                    dir, checkpoint.epochsDone(), run.schedule().epochs());
            return RunStart.CONTINUE;
        } catch (JobConfigException | OutputException e) {
            output.delete(dir);
            log.info("Sweep: removed the unfinished {} of an earlier attempt (no usable checkpoint: {})", dir,
                    e.getMessage());
            return RunStart.FRESH;
        }
    }

    /** Records all the points of one training run and rewrites sweep.jsonl, sweep.csv and best.json. */
    public void record(List<SweepPoint> run) {
        points.addAll(run);
        points.sort(new SpecOrder(config));
        StringBuilder jsonl = new StringBuilder();
        for (SweepPoint p : points) {
            jsonl.append(row(p)).append('\n');
        }
        output.writeText(SweepFiles.ROWS, jsonl.toString());
        output.writeText(SweepFiles.CSV, csv(points));
        output.writeText(SweepFiles.BEST, Json.pretty(best()));
        recordedHere = true;
    }

    /** One line of {@link SweepFiles#ROWS}. */
    static String row(SweepPoint p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sweep point is not serializable", e);
        }
    }

    /** After a failure: removes the output if this invocation created it and recorded nothing in it. */
    public void abandon() {
        if (output != null && !resuming && !recordedHere) {
            output.discard();
        }
    }

    private Map<String, Object> best() {
        List<PointStats> stats = PointStats.of(points);
        Map<String, Object> best = new LinkedHashMap<>();
        best.put("rule", SweepSelection.rule(config.maxAccuracyDrop()));
        best.put("max_accuracy_drop", config.maxAccuracyDrop());
        best.put("seeds", config.seeds());
        best.put("prune", config.prune());
        best.put("runs_pruned", points.stream().filter(p -> p.prunedAtEpoch() != null)
                .map(p -> p.provenance().run()).distinct().count());
        best.put("best_val_accuracy", SweepSelection.bestAccuracy(stats));
        best.put("accuracy_floor", SweepSelection.accuracyFloor(stats, config.maxAccuracyDrop()));
        best.put("rows_recorded", points.size());
        best.put("rows_total", config.rows());
        best.put("complete", points.size() == config.rows());
        best.put("selected", SweepSelection.select(stats, config.maxAccuracyDrop()));
        best.put("pareto_front", SweepSelection.front(stats));
        return best;
    }

    static String csv(List<SweepPoint> points) {
        List<String> layers = points.get(0).layers().stream().map(LayerMetrics::name).toList();
        List<String> versions = List.copyOf(new java.util.TreeSet<>(points.get(0).provenance().versions().keySet()));
        StringBuilder sb = new StringBuilder("kl_weight,threshold,val_accuracy,test_accuracy,pruned_at_epoch,"
                + "compression,weights,nonzero");
        for (String l : layers) {
            sb.append(',').append(l).append("_nonzero,").append(l).append("_sparsity");
        }
        sb.append(",run,seed,train_examples,train_seconds,spark_master,spark_application_id,finished_at");
        for (String v : versions) {
            sb.append(",version_").append(v);
        }
        sb.append('\n');
        for (SweepPoint p : points) {
            sb.append(num(p.klWeight())).append(',').append(num(p.threshold())).append(',')
                    .append(num(p.valAccuracy())).append(',').append(num(p.testAccuracy())).append(',')
                    .append(p.prunedAtEpoch() == null ? "" : p.prunedAtEpoch()).append(',')
                    .append(num(p.compression())).append(',').append(p.weights()).append(',').append(p.nonzero());
            for (LayerMetrics l : p.layers()) {
                sb.append(',').append(l.nonzero()).append(',').append(num(l.sparsity()));
            }
            PointProvenance pr = p.provenance();
            sb.append(',').append(csvText(pr.run())).append(',').append(pr.seed()).append(',')
                    .append(pr.trainExamples()).append(',').append(num(pr.trainSeconds())).append(',')
                    .append(csvText(pr.sparkMaster())).append(',').append(csvText(pr.sparkApplicationId()))
                    .append(',').append(csvText(pr.finishedAt()));
            for (String v : versions) {
                sb.append(',').append(csvText(pr.versions().getOrDefault(v, "")));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The rows read back, checked against the spec: known runs only, each once, every threshold of a run. */
    private static List<SweepPoint> finished(SweepConfig config, List<SweepPoint> rows) {
        List<SweepPoint> kept = new ArrayList<>();
        for (double w : config.klWeights()) {
            for (long seed : config.seeds()) {
                List<SweepPoint> run = rows.stream().filter(p -> p.ofRun(w, seed)).toList();
                boolean complete = run.size() == config.thresholds().size() && config.thresholds().stream()
                        .allMatch(t -> run.stream().filter(p -> p.is(w, t)).count() == 1);
                if (complete) {
                    kept.addAll(run);
                } else if (!run.isEmpty()) {
                    throw new OutputException(SweepFiles.ROWS + " holds " + run.size() + " rows for kl_weight "
                            + SweepConfig.plain(w) + " and seed " + seed + " that are not one per threshold of the "
                            + "spec: it was not written by this sweep; choose a new --output");
                }
            }
        }
        if (kept.size() != rows.size()) {
            throw new OutputException(SweepFiles.ROWS + " holds rows for KL weights or seeds the spec does not have: it "
                    + "was not written by this sweep; choose a new --output");
        }
        kept.sort(new SpecOrder(config));
        return kept;
    }

    /** Fails with a message naming every differing setting when {@code given} is not the {@code recorded} spec. */
    static void checkSameSpec(JsonNode recorded, JsonNode given, String where) {
        List<String> differences = new ArrayList<>();
        for (Json.Difference d : Json.diff(recorded, given)) {
            differences.add(d.path().replaceFirst("^train\\.", "") + ": " + shown(d.recorded()) + " recorded, "
                    + shown(d.given()) + " given");
        }
        if (!differences.isEmpty()) {
            throw new JobConfigException(where + " holds a sweep started with a different spec (" + String.join("; ",
                    differences) + "); run it with the spec it was started with to resume it, or choose a new "
                    + "--output");
        }
    }

    private static String shown(JsonNode n) {
        return n.isMissingNode() ? "nothing" : n.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A SweepFiles.CSV field: quoted when it holds a comma, quote or line break. */
    private static String csvText(String s) {
        if (s == null) {
            return "";
        }
        return s.matches("(?s).*[,\"\n\r].*") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** The order of the spec: KL weights as listed, then seeds as listed, then thresholds as listed. */
    private record SpecOrder(SweepConfig config) implements java.util.Comparator<SweepPoint> {
        @Override
        public int compare(SweepPoint a, SweepPoint b) {
            return java.util.Comparator.<SweepPoint>comparingInt(p -> config.klWeights().indexOf(p.klWeight()))
                    .thenComparingInt(p -> config.seeds().indexOf(p.provenance().seed()))
                    .thenComparingInt(p -> config.thresholds().indexOf(p.threshold()))
                    .compare(a, b);
        }
    }
}
