package org.sparsevd.job.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparsevd.job.config.ClusterOptions;
import org.sparsevd.job.config.DataOptions;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.ModelOptions;
import org.sparsevd.job.config.ScheduleOptions;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.metrics.PointProvenance;
import org.sparsevd.job.metrics.SweepPoint;
import org.sparsevd.job.metrics.SweepSelectionTest;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.SweepRecord;

/** What a sweep records about itself: its spec without credentials, the spec check, and its rows read back. */
class SweepOutputTest {
    private static SweepConfig config(String master, String output, List<Double> thresholds) {
        return config(master, output, thresholds, 1);
    }

    private static SweepConfig config(String master, String output, List<Double> thresholds, int parallel) {
        TrainConfig train = new TrainConfig(
                new DataOptions(URI.create("s3a://AKIAEXAMPLE:SeCrEt@bucket/fashion-mnist"), null, 0, DataOptions.IDX,
                        0, false, 0.1),
                new ModelOptions("lenet300", "sparsevd", 0.5, 1, null, 3, -10, -8, 8),
                new ScheduleOptions(20, 1e-3, "constant", 0, 1, 5, 15),
                new ClusterOptions(master, 2, 100, 10), URI.create(output), 42);
        return new SweepConfig(train, List.of(0.1, 1.0), thresholds, List.of(42L), 1.0,
                SweepConfig.PRUNE_NONE, 1, SweepConfig.DEFAULT_PRUNE_MARGIN, parallel);
    }

    @Test
    void specHasNoCredentialsAndIgnoresWhereTheSweepRuns() {
        String spec = SweepResume.spec(config(null, "s3a://KEY:SECRET@out/a", List.of(1.0, 3.0))).toString();
        assertFalse(spec.contains("SeCrEt") || spec.contains("AKIAEXAMPLE") || spec.contains("SECRET"), spec);
        assertTrue(spec.contains("s3a://bucket/fashion-mnist"), spec);
        assertFalse(spec.contains("\"output\""), "the output is where the spec is recorded, not part of it");
        SweepResume.checkSameSpec(SweepResume.spec(config(null, "/a", List.of(1.0, 3.0))),
                SweepResume.spec(config("spark://m:7077", "/b", List.of(1.0, 3.0), 3)), "--output /b");
        assertFalse(spec.contains("parallel"), "how many runs train at once does not change the results: " + spec);
        JobConfigException e = assertThrows(JobConfigException.class, () -> SweepResume.checkSameSpec(
                SweepResume.spec(config(null, "/a", List.of(1.0, 3.0))),
                SweepResume.spec(config(null, "/a", List.of(1.0, 2.0))), "--output /a"));
        assertEquals("--output /a holds a sweep started with a different spec (thresholds: [1.0,3.0] recorded, "
                + "[1.0,2.0] given); run it with the spec it was started with to resume it, or choose a new --output",
                e.getMessage());
    }

    @Test
    void aSweepNeedsAValidationSplitAndDistinctSeeds() {
        TrainConfig train = config(null, "/a", List.of(1.0)).train();
        TrainConfig noValidation = new TrainConfig(new DataOptions(train.data().train(), null, 0, DataOptions.IDX, 0,
                false, 0), train.model(), train.schedule(), train.cluster(), train.output(), 42);
        JobConfigException e = assertThrows(JobConfigException.class, () -> new SweepConfig(noValidation,
                List.of(0.1), List.of(1.0), List.of(42L), 1.0, SweepConfig.PRUNE_NONE, 1, 2, 1));
        assertTrue(e.getMessage().startsWith("sweep needs --validation N"), e.getMessage());
        e = assertThrows(JobConfigException.class, () -> new SweepConfig(train, List.of(0.1), List.of(1.0),
                List.of(7L, 42L, 7L), 1.0, SweepConfig.PRUNE_NONE, 1, 2, 1));
        assertEquals("--seeds: a seed is given twice in [7, 42, 7]", e.getMessage());
        SweepConfig c = new SweepConfig(train, List.of(0.1, 1.0), List.of(1.0, 2.0), List.of(7L, 13L), 1.0,
                SweepConfig.PRUNE_NONE, 1, 2, 1);
        assertEquals(4, c.runs());
        assertEquals(8, c.rows());
        assertEquals("/a/runs/kl-1-seed-13", c.run(1.0, 13).output().toString());
        assertEquals(13, c.run(1.0, 13).seed());
    }

    /**
     * Early stopping that may stop the runs the selection rule looks for is warned about: --prune median always (with
     * more than one KL weight), --prune floor inside the KL ramp (5 epochs at weight 0 and a 15-epoch ramp reach the
     * target in epoch 21, so over 25 epochs --prune-after 20 is warned about and 21 is not). Nothing without pruning,
     * with one KL weight (no run of another weight to compare with), or when the runs end before the target (the
     * runs' own warning says so).
     */
    @Test
    void earlyStoppingThatMayStopTheSelectedRunsIsWarnedAbout() {
        TrainConfig twenty = config(null, "/a", List.of(1.0)).train();
        TrainConfig train = new TrainConfig(twenty.data(), twenty.model(), new ScheduleOptions(25, 1e-3, "constant",
                0, 1, 5, 15), twenty.cluster(), twenty.output(), 42);
        String median = pruning(train, List.of(0.1, 1.0), SweepConfig.PRUNE_MEDIAN, 21).pruningWarning();
        assertEquals("--prune median stops a run whose validation accuracy is below the median of the earlier runs of "
                + "its seed, for accuracy alone: the runs of the larger KL weights, which trade accuracy for "
                + "compression, are the ones it stops, and a point with a stopped run is never selected; --prune floor "
                + "stops only runs more than --prune-margin points below the best earlier run", median);
        assertEquals("--prune-after 20 lets --prune floor stop runs while their KL weight still ramps up (it reaches "
                + "its target in epoch 21 with --kl-zero-epochs 5 and --kl-ramp-epochs 15): runs with larger KL "
                + "weights lag on validation accuracy there before they catch up, so the rule may stop the runs the "
                + "sweep would otherwise select; --prune-after 21 compares the runs at their targets",
                pruning(train, List.of(0.1, 1.0), SweepConfig.PRUNE_FLOOR, 20).pruningWarning());
        assertEquals(null, pruning(train, List.of(0.1, 1.0), SweepConfig.PRUNE_FLOOR, 21).pruningWarning());
        assertEquals(null, pruning(train, List.of(0.1, 1.0), SweepConfig.PRUNE_NONE, 1).pruningWarning());
        assertEquals(null, pruning(train, List.of(1.0), SweepConfig.PRUNE_MEDIAN, 1).pruningWarning());
        assertEquals(null, pruning(train, List.of(1.0), SweepConfig.PRUNE_FLOOR, 1).pruningWarning());
        assertEquals(null, pruning(twenty, List.of(0.1, 1.0), SweepConfig.PRUNE_FLOOR, 1).pruningWarning());
        assertTrue(SweepResume.spec(pruning(train, List.of(0.1, 1.0), SweepConfig.PRUNE_FLOOR, 21))
                .has("prune_margin"), "the floor's margin is part of its sweep's spec");
        assertFalse(SweepResume.spec(pruning(train, List.of(0.1, 1.0), SweepConfig.PRUNE_MEDIAN, 21))
                .has("prune_margin"), "and only of its: earlier sweeps' specs, recorded without it, still resume");
    }

    private static SweepConfig pruning(TrainConfig train, List<Double> klWeights, String prune, int after) {
        return new SweepConfig(train, klWeights, List.of(3.0), List.of(42L), 1.0, prune, after, 2, 1);
    }

    @Test
    void aRowIsTheSameBytesWhateverOrderItsVersionsCameIn() throws Exception {
        List<String> keys = List.of("sparsevd", "sparsevd_commit", "dl4j", "spark", "scala", "java", "os");
        Map<String, String> forward = new LinkedHashMap<>();
        Map<String, String> backward = new LinkedHashMap<>();
        keys.forEach(k -> forward.put(k, "v-" + k));
        for (int i = keys.size() - 1; i >= 0; i--) {
            backward.put(keys.get(i), "v-" + keys.get(i));
        }
        SweepPoint p = SweepSelectionTest.row(0.3, 2, 1, 0.8, 0.8, 7);
        List<String> rows = new ArrayList<>();
        List<String> csvs = new ArrayList<>();
        for (Map<String, String> versions : List.of(forward, backward)) {
            PointProvenance pr = p.provenance();
            SweepPoint q = new SweepPoint(p.klWeight(), p.threshold(), p.valAccuracy(), p.testAccuracy(),
                    p.prunedAtEpoch(), p.compression(),
                    p.weights(), p.nonzero(), p.layers(), new PointProvenance(pr.run(), pr.seed(),
                    pr.trainExamples(), pr.trainSeconds(), pr.sparkMaster(), pr.sparkApplicationId(),
                    pr.finishedAt(), versions));
            rows.add(SweepRows.row(q));
            csvs.add(SweepRows.csv(List.of(q)));
        }
        assertEquals(rows.get(0), rows.get(1));
        assertEquals(csvs.get(0), csvs.get(1));
        assertFalse(rows.get(0).contains("pareto"), "rows hold nothing later points change: " + rows.get(0));
        // any map the project writes is in key order
        Map<String, Integer> unordered = new LinkedHashMap<>();
        unordered.put("b", 1);
        unordered.put("a", 2);
        assertEquals("{\"a\":2,\"b\":1}", Json.mapper().writeValueAsString(unordered));
    }

    @Test
    void rowsRoundTripThroughJsonLinesAndCsv() {
        List<SweepPoint> points = List.of(SweepSelectionTest.row(0.1, 1, 7, 0.85, 0.84, 10),
                SweepSelectionTest.row(0.1, 3, 7, 0.86, 0.83, 5));
        StringBuilder jsonl = new StringBuilder();
        for (SweepPoint p : points) {
            jsonl.append(SweepRows.row(p)).append('\n');
        }
        List<SweepPoint> read = SweepRecord.parseRows(jsonl.toString(), "sweep.jsonl");
        assertEquals(points, read);
        for (int i = 0; i < points.size(); i++) {
            assertEquals(SweepRows.row(points.get(i)), SweepRows.row(read.get(i)), "read back, written alike");
        }
        OutputException bad = assertThrows(OutputException.class,
                () -> SweepRecord.parseRows(jsonl + "{\"kl_weight\": 1}\n", "x/sweep.jsonl"));
        assertTrue(bad.getMessage().startsWith("x/sweep.jsonl line 3 is not a valid sweep row: "), bad.getMessage());

        List<String> csv = SweepRows.csv(points).lines().toList();
        assertEquals(3, csv.size());
        assertTrue(csv.get(0).startsWith("kl_weight,threshold,val_accuracy,test_accuracy,pruned_at_epoch,compression,"),
                csv.get(0));
        assertTrue(csv.get(1).startsWith("0.100000,1.00000,0.850000,0.840000,,10.0000,1000,100,100,0.900000,"
                + "runs/kl-0.1-seed-7,7,"), csv.get(1));
        assertEquals(csv.get(0).split(",").length, csv.get(1).split(",").length);
    }
}
