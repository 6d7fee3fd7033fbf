package org.sparsevd.job.sweep;

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
 * continuing an unfinished run from its last checkpoint ({@link SweepResume}). The rows' formats are
 * {@link SweepRows}.
 */
public final class SweepOutput {
    private static final Logger log = LoggerFactory.getLogger(SweepOutput.class);

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
        SweepResume.checkSameSpec(Json.parse(recorded, SweepFiles.SPEC).path("spec"), SweepResume.spec(config), where);
        String rows = existing.readText(SweepFiles.ROWS);
        SweepOutput out = new SweepOutput(config, true, rows == null ? new ArrayList<>() : SweepResume.finished(config,
                SweepRecord.parseRows(rows, Provenance.redact(uri) + "/" + SweepFiles.ROWS)));
        out.output = existing;
        return out;
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

    /** The sweep's directory; null until {@link #start} (a new sweep). */
    RunOutput directory() {
        return output;
    }

    /** Creates the directory and records the spec (a new sweep), or takes the existing one (a resumed sweep). */
    public void start(Map<String, String> versions, Configuration conf) {
        if (output != null) {
            return;
        }
        output = RunOutput.create(config.train().output(), conf);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("command", "sweep");
        record.put("spec", SweepResume.spec(config));
        record.put("points", config.points());
        record.put("rows", config.rows());
        record.put("started_at", Instant.now().toString());
        record.put("versions", versions);
        output.writeText(SweepFiles.SPEC, Json.pretty(record));
    }

    /** Records all the points of one training run and rewrites sweep.jsonl, sweep.csv and best.json. */
    public void record(List<SweepPoint> run) {
        points.addAll(run);
        points.sort(new SweepRows.SpecOrder(config));
        output.writeText(SweepFiles.ROWS, SweepRows.jsonl(points));
        output.writeText(SweepFiles.CSV, SweepRows.csv(points));
        output.writeText(SweepFiles.BEST, Json.pretty(SweepRows.best(config, points)));
        recordedHere = true;
    }

    /** After a failure: removes the output if this invocation created it and recorded nothing in it. */
    public void abandon() {
        if (output != null && !resuming && !recordedHere) {
            output.discard();
        }
    }
}
