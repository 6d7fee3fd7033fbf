package org.sparsevd.job.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.metrics.PointStats;
import org.sparsevd.job.metrics.SweepPoint;

/**
 * What a sweep output holds, read back for reports and for resuming the sweep.
 *
 * @param output the sweep's directory
 * @param record sweep.json: the spec and where and when it was started
 * @param points the recorded rows, in file order
 */
public record SweepRecord(RunOutput output, JsonNode record, List<SweepPoint> points) {

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

    /** Whether {@code input} is a sweep output (it has a sweep.json). */
    public static boolean isSweep(URI input, Configuration conf) {
        try {
            FileSystem fs = FileSystem.get(input, conf);
            return fs.isFile(new Path(fs.makeQualified(new Path(input)), SweepFiles.SPEC));
        } catch (IOException e) {
            throw new OutputException("--input " + Provenance.redact(input) + " cannot be read: " + e.getMessage(),
                    e);
        }
    }

    /** Reads a sweep output; it must have a sweep.json and at least one recorded point. */
    public static SweepRecord read(URI uri, Configuration conf) {
        RunOutput existing = RunOutput.open(uri, conf);
        String location = Provenance.redact(uri);
        String record = existing.readText(SweepFiles.SPEC);
        if (record == null) {
            throw new JobConfigException("--input " + location + " is not a sweep output: it has no "
                    + SweepFiles.SPEC);
        }
        String rows = existing.readText(SweepFiles.ROWS);
        List<SweepPoint> points = rows == null ? List.of() : parseRows(rows, location + "/" + SweepFiles.ROWS);
        if (points.isEmpty()) {
            throw new OutputException(location + " has no finished sweep point yet (" + SweepFiles.ROWS
                    + " is missing or empty)");
        }
        return new SweepRecord(existing, Json.parse(record, location + "/" + SweepFiles.SPEC), points);
    }

    /** The rows of a sweep.jsonl; {@code file} names it in messages. */
    public static List<SweepPoint> parseRows(String text, String file) {
        return Json.readLines(text, SweepPoint.class, file, "a valid sweep row");
    }
}
