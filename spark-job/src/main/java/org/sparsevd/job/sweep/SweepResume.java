package org.sparsevd.job.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.metrics.SweepPoint;
import org.sparsevd.job.output.Checkpoint;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.output.RunOutput;
import org.sparsevd.job.output.SweepFiles;

/**
 * Resuming a sweep: the spec that identifies it (compared with the recorded one), the recorded rows checked
 * against the spec, and what an earlier attempt left of a training run.
 */
final class SweepResume {
    private static final Logger log = LoggerFactory.getLogger(SweepResume.class);

    private SweepResume() {
    }

    /** The spec a sweep is identified by: its whole configuration except where it writes and which master runs it. */
    static JsonNode spec(SweepConfig config) {
        ObjectNode spec = Json.mapper().valueToTree(config);
        spec.remove("parallel"); // how the sweep runs, not what it computes
        if (!config.prune().equals(SweepConfig.PRUNE_FLOOR)) {
            spec.remove("prune_margin"); // used by that rule only (and absent from the specs of earlier sweeps)
        }
        ObjectNode train = (ObjectNode) spec.get("train");
        train.remove("output");
        ((ObjectNode) train.get("cluster")).remove("master");
        return Json.parse(spec.toString(), SweepFiles.SPEC); // as read back from the file: the same node types
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

    /** The rows read back, checked against the spec: known runs only, each once, every threshold of a run. */
    static List<SweepPoint> finished(SweepConfig config, List<SweepPoint> rows) {
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
        kept.sort(new SweepRows.SpecOrder(config));
        return kept;
    }

    /** How the training run of a (KL weight, seed) without recorded points starts. */
    public enum RunStart {
        /** Nothing usable of an earlier attempt: train from the start (whatever was there is removed). */
        FRESH,
        /** An earlier attempt's checkpoint of this run: continue from it ({@code TrainJob} with resume). */
        CONTINUE,
        /** An earlier attempt finished training (run.json written) but was stopped before recording: evaluate it. */
        TRAINED
    }

    /**
     * Prepares the directory of {@code run} in the sweep's {@code output} (the training run of {@code klWeight} and
     * {@code seed}, whose points are not recorded) from what an earlier attempt left there: a completed run or a checkpoint that belongs to {@code run} is kept;
     * anything else (a run killed before its first checkpoint, a corrupt or foreign checkpoint) is removed.
     */
    static RunStart prepareRun(RunOutput output, double klWeight, long seed, TrainConfig run, Configuration conf) {
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
}
