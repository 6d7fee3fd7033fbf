package org.sparsevd.job.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.job.TrainJob;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.MetricsWriter;
import org.sparsevd.job.output.Checkpoint;
import org.sparsevd.job.output.JsonLines;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.RunOutput;

/**
 * A sweep's output directory: {@code sweep.json} (the spec it was started with), {@code sweep.jsonl} and
 * {@code sweep.csv} (one row per finished (point, seed), in spec order, with an up-to-date {@code pareto} flag of
 * its point), {@code best.json} (the selected point and the Pareto front, means and standard deviations over the
 * seeds) and {@code runs/}. All files are rewritten atomically after each training run, with all the rows of that
 * run at once, so the rows are the record of which runs are finished: a restarted sweep reads them back and runs
 * only the (KL weight, seed) runs that have none, continuing an unfinished run from its last checkpoint
 * ({@link #prepareRun}).
 */
public final class SweepOutput {
    private static final Logger log = LoggerFactory.getLogger(SweepOutput.class);

    public static final String SPEC_FILE = "sweep.json";
    public static final String JSONL = "sweep.jsonl";
    public static final String CSV = "sweep.csv";
    public static final String BEST_FILE = "best.json";

    private static final ObjectMapper JSON = MetricsWriter.mapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

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
        String recorded = existing.readText(SPEC_FILE);
        if (recorded == null) {
            throw new OutputException(where + " already exists and is not a sweep output (it has no " + SPEC_FILE
                    + "); choose a new directory or remove it");
        }
        checkSameSpec(parse(recorded, SPEC_FILE).path("spec"), spec(config), where);
        String rows = existing.readText(JSONL);
        SweepOutput out = new SweepOutput(config, true, rows == null ? new ArrayList<>() : finished(config,
                parseRows(rows, Provenance.redact(uri) + "/" + JSONL)));
        out.output = existing;
        return out;
    }

    /**
     * What a sweep output holds, for reports.
     *
     * @param record     sweep.json: the spec and where and when it was started
     * @param points     the recorded rows, in file order
     */
    public record Recorded(JsonNode record, List<SweepPoint> points) {
        /** The selection rule's tolerance in percentage points. */
        public double maxAccuracyDrop() {
            return record.path("spec").path("max_accuracy_drop").asDouble();
        }

        /** The number of rows of the spec: one per point and seed. */
        public int rowsTotal() {
            return record.path("rows").asInt();
        }

        /** Each point's mean and standard deviation over the seeds recorded. */
        public List<PointStats> stats() {
            return PointStats.of(points);
        }
    }

    /** Whether {@code dir} is a sweep output (it has a sweep.json). */
    public static boolean isSweep(FileSystem fs, Path dir) throws IOException {
        return fs.isFile(new Path(dir, SPEC_FILE));
    }

    /** Reads a sweep output; it must have a sweep.json and at least one recorded point. */
    public static Recorded read(java.net.URI uri, Configuration conf) {
        RunOutput existing = RunOutput.open(uri, conf);
        String location = Provenance.redact(uri);
        String record = existing.readText(SPEC_FILE);
        if (record == null) {
            throw new JobConfigException("--input " + location + " is not a sweep output: it has no " + SPEC_FILE);
        }
        String rows = existing.readText(JSONL);
        List<SweepPoint> points = rows == null ? List.of() : parseRows(rows, location + "/" + JSONL);
        if (points.isEmpty()) {
            throw new OutputException(location + " has no finished sweep point yet (" + JSONL + " is missing or "
                    + "empty)");
        }
        return new Recorded(parse(record, location + "/" + SPEC_FILE), points);
    }

    /** The spec a sweep is identified by: its whole configuration except where it writes and which master runs it. */
    static JsonNode spec(SweepConfig config) {
        ObjectNode spec = JSON.valueToTree(config);
        ObjectNode train = (ObjectNode) spec.get("train");
        train.remove("output");
        ((ObjectNode) train.get("cluster")).remove("master");
        return parse(spec.toString(), SPEC_FILE); // as read back from the file: the same node types
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
        output.writeText(SPEC_FILE, pretty(record));
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
            if (previous.exists(TrainJob.RUN_FILE) && previous.exists(TrainJob.MODEL_FILE)) {
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
        List<PointStats> stats = PointStats.of(points);
        StringBuilder jsonl = new StringBuilder();
        for (SweepPoint p : points) {
            ObjectNode row = JSON.valueToTree(p);
            row.put("pareto", onFront(p, stats));
            jsonl.append(row).append('\n');
        }
        output.writeText(JSONL, jsonl.toString());
        output.writeText(CSV, csv(points));
        output.writeText(BEST_FILE, pretty(best()));
        recordedHere = true;
    }

    /** After a failure: removes the output if this invocation created it and recorded nothing in it. */
    public void abandon() {
        if (output != null && !resuming && !recordedHere) {
            output.discard();
        }
    }

    /** Whether the point of row {@code p} is on the Pareto front of the sweep's points. */
    private static boolean onFront(SweepPoint p, List<PointStats> stats) {
        return SweepSelection.onFront(stats.stream().filter(s -> s.is(p.klWeight(), p.threshold())).findFirst()
                .orElseThrow(), stats);
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
        List<PointStats> stats = PointStats.of(points);
        List<String> layers = points.get(0).layers().stream().map(LayerMetrics::name).toList();
        List<String> versions = List.copyOf(new java.util.TreeSet<>(points.get(0).provenance().versions().keySet()));
        StringBuilder sb = new StringBuilder("kl_weight,threshold,val_accuracy,test_accuracy,pruned_at_epoch,"
                + "compression,weights,nonzero,pareto");
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
                    .append(p.prunedAtEpoch() == null ? "" : p.prunedAtEpoch()).append(',').append(num(p.compression())).append(',')
                    .append(p.weights()).append(',').append(p.nonzero()).append(',')
                    .append(onFront(p, stats));
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
                    throw new OutputException(JSONL + " holds " + run.size() + " rows for kl_weight "
                            + SweepConfig.plain(w) + " and seed " + seed + " that are not one per threshold of the "
                            + "spec: it was not written by this sweep; choose a new --output");
                }
            }
        }
        if (kept.size() != rows.size()) {
            throw new OutputException(JSONL + " holds rows for KL weights or seeds the spec does not have: it was "
                    + "not written by this sweep; choose a new --output");
        }
        kept.sort(new SpecOrder(config));
        return kept;
    }

    static List<SweepPoint> parseRows(String text, String file) {
        return JsonLines.read(JSON, text, SweepPoint.class, file, "a valid sweep row");
    }

    /** Fails with a message naming every differing setting when {@code given} is not the {@code recorded} spec. */
    static void checkSameSpec(JsonNode recorded, JsonNode given, String where) {
        List<String> differences = new ArrayList<>();
        diff("", recorded, given, differences);
        if (!differences.isEmpty()) {
            throw new JobConfigException(where + " holds a sweep started with a different spec (" + String.join("; ",
                    differences) + "); run it with the spec it was started with to resume it, or choose a new "
                    + "--output");
        }
    }

    private static void diff(String path, JsonNode recorded, JsonNode given, List<String> out) {
        if (recorded.isObject() && given.isObject()) {
            List<String> names = new ArrayList<>();
            recorded.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = given.fieldNames(); it.hasNext(); ) {
                String n = it.next();
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
            for (String n : names) {
                diff(path.isEmpty() ? n : path + "." + n, recorded.path(n), given.path(n), out);
            }
        } else if (!recorded.equals(given)) {
            out.add(path.replaceFirst("^train\\.", "") + ": " + shown(recorded) + " recorded, " + shown(given)
                    + " given");
        }
    }

    private static String shown(JsonNode n) {
        return n.isMissingNode() ? "nothing" : n.toString();
    }

    private static JsonNode parse(String text, String file) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new OutputException(file + " is not valid JSON: " + JsonLines.firstLine(e.getOriginalMessage()), e);
        }
    }

    private static String pretty(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sweep record is not serializable", e);
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A CSV field: quoted when it holds a comma, quote or line break. */
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
