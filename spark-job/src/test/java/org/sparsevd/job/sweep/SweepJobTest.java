package org.sparsevd.job.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsevd.job.FashionMnist;
import org.sparsevd.job.run.TrainJob;
import org.sparsevd.job.run.Watch;
import org.sparsevd.job.cli.TrainOptions;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.Main;
import org.sparsevd.job.cli.UserErrors;
import org.sparsevd.job.output.RunFiles;
import picocli.CommandLine;

/**
 * A 2 KL weights x 5 thresholds x 2 seeds sweep with a validation split on a small Fashion-MNIST subset, end to end
 * in embedded local mode; then the state a kill during the third training run leaves behind (the first two runs'
 * rows, the third run's checkpoint of its first epoch, a torn fourth run) is restarted: every (point, seed) ends up
 * recorded exactly once, the first runs' rows untouched, the third run continued from its checkpoint and the fourth
 * trained again.
 */
class SweepJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String[] sweep(Path out) {
        return sweep(out, "1,2,3,4,5");
    }

    private static String[] sweep(Path out, String thresholds) {
        return new String[] {"sweep", "--data", FashionMnist.DIR.toString(),
                "--output", out.toString(), "--kl-weights", "0.1,1", "--thresholds", thresholds,
                "--limit-train", "600", "--validation", "100", "--epochs", "2", "--kl-zero-epochs", "0",
                "--kl-ramp-epochs", "1", "--workers", "2",
                "--sync", "average", "--averaging-frequency", "3", "--seeds", "7,13"};
    }

    private static String[] withArgs(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static String run(double w, long seed) {
        return "runs/kl-" + (w == 1 ? "1" : String.valueOf(w)) + "-seed-" + seed;
    }

    @Test
    void sweepRecordsEveryPointOnceAndResumesAfterAKill() throws Exception {
        Path out = tmp.resolve("sweep");
        assertEquals(0, Main.run(sweep(out)));

        List<String> rows = Files.readAllLines(out.resolve("sweep.jsonl"));
        assertEquals(20, rows.size());
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(21, csv.size());
        assertTrue(csv.get(0).startsWith("kl_weight,threshold,val_accuracy,test_accuracy,pruned_at_epoch,compression,weights,"
                + "nonzero,dense1_nonzero,dense1_sparsity"), csv.get(0));
        assertTrue(csv.get(0).contains(",run,seed,") && csv.get(0).contains("version_dl4j"), csv.get(0));
        int i = 0;
        for (long seed : new long[] {7, 13}) { // rows in run order: seed by seed, then KL weight, then threshold
            for (double w : new double[] {0.1, 1}) {
                JsonNode previous = null;
                for (double t = 1; t <= 5; t++) {
                    JsonNode row = JSON.readTree(rows.get(i++));
                    assertEquals(w, row.get("kl_weight").asDouble());
                    assertEquals(t, row.get("threshold").asDouble());
                    assertTrue(row.get("val_accuracy").isNumber() && row.get("test_accuracy").isNumber(), row.toString());
                    JsonNode p = row.get("provenance");
                    assertEquals(run(w, seed), p.get("run").asText());
                    assertEquals(seed, p.get("seed").asLong());
                    assertEquals(500, p.get("train_examples").asLong(), "600 less the 100 held out");
                    assertTrue(p.get("versions").get("spark").asText().startsWith("3.5"), p.toString());
                    assertFalse(row.has("pareto"), "rows hold nothing later rows change");
                    if (previous != null) { // a higher threshold prunes fewer weights
                        assertTrue(row.get("nonzero").asLong() >= previous.get("nonzero").asLong(), row.toString());
                    }
                    previous = row;
                }
                assertTrue(Files.exists(out.resolve(run(w, seed) + "/model.zip")));
                JsonNode metrics = JSON.readTree(Files.readAllLines(out.resolve(run(w, seed) + "/metrics.jsonl")).get(1));
                assertTrue(metrics.get("val_accuracy").isNumber(), metrics.toString());
            }
        }
        assertNotEquals(JSON.readTree(rows.get(0)).get("test_accuracy"),
                JSON.readTree(rows.get(10)).get("test_accuracy"),
                "each seed trains its own model");
        JsonNode best = JSON.readTree(out.resolve("best.json").toFile());
        assertTrue(best.get("complete").asBoolean());
        assertEquals(20, best.get("rows_recorded").asInt());
        JsonNode selected = best.get("selected");
        assertTrue(selected.get("val_accuracy").asDouble() >= best.get("best_val_accuracy").asDouble() - 0.01);
        assertEquals("[7,13]", selected.get("seeds").toString());
        for (String f : List.of("val_accuracy_std", "test_accuracy", "test_accuracy_std", "compression")) {
            assertTrue(selected.get(f).isNumber(), f + " in " + selected);
        }
        assertTrue(best.get("pareto_front").size() >= 1);
        assertTrue(JSON.readTree(out.resolve("sweep.json").toFile()).get("spec").get("kl_weights").isArray());

        // Runs go seed by seed: (0.1, 7), (1, 7), (0.1, 13), (1, 13). What a kill during the third leaves: the rows of
        // seed 7; the third run stopped after its first epoch (a real run of that configuration, stopped by its
        // epoch hook: checkpoint and metrics of epoch 1, no model); the fourth killed before its first checkpoint
        // completed (a torn checkpoint.zip).
        List<String> seed7 = rows.stream().filter(r -> r.contains("\"seed\":7,")).toList();
        assertEquals(rows.subList(0, 10), seed7, "the rows of seed 7 come first");
        Files.write(out.resolve("sweep.jsonl"), seed7);
        Files.delete(out.resolve(".sweep.jsonl.crc"));
        Path second = out.resolve(run(0.1, 13));
        deleteTree(second);
        TrainOptions options = new TrainOptions();
        List<String> trainArgs = new ArrayList<>(List.of(sweep(out)).subList(1, sweep(out).length));
        trainArgs.subList(4, 8).clear(); // the sweep's own --kl-weights and --thresholds
        trainArgs.subList(trainArgs.indexOf("--seeds"), trainArgs.indexOf("--seeds") + 2).clear();
        new CommandLine(options).parseArgs(trainArgs.toArray(String[]::new));
        TrainConfig secondRun = new SweepConfig(options.config(), List.of(0.1, 1.0),
                List.of(1.0, 2.0, 3.0, 4.0, 5.0), List.of(7L, 13L), 1.0, SweepConfig.PRUNE_NONE, 1, 2, 1).run(0.1, 13);
        assertThrows(IllegalStateException.class, () -> new TrainJob(secondRun, false, m -> {
            throw new IllegalStateException("killed after epoch " + m.epoch());
        }, Watch.DEFAULT).run());
        assertTrue(Files.exists(second.resolve(RunFiles.CHECKPOINT)) && !Files.exists(second.resolve("model.zip")));
        Path third = out.resolve(run(1, 13));
        deleteTree(third);
        Files.createDirectories(third);
        Files.write(third.resolve(RunFiles.CHECKPOINT), new byte[] {'P', 'K', 3, 4, 0});

        // Restarted with two runs at once: the continued third run and the fourth train together.
        StringWriter resumeErr = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(resumeErr, true), withArgs(sweep(out), "--parallel", "2")),
                resumeErr.toString());
        List<String> resumed = Files.readAllLines(out.resolve("sweep.jsonl"));
        assertEquals(20, resumed.size(), "every (point, seed) exactly once");
        for (int k = 0; k < 20; k++) {
            JsonNode before = JSON.readTree(rows.get(k));
            JsonNode after = JSON.readTree(resumed.get(k));
            String app = "/provenance/spark_application_id";
            if (before.at("/provenance/seed").asLong() == 7) {
                assertEquals(rows.get(k), resumed.get(k), "finished rows are kept byte for byte");
            } else {
                assertNotEquals(before.at(app), after.at(app), "recorded by the new application");
                for (String f : List.of("kl_weight", "threshold", "provenance/seed")) {
                    assertEquals(before.at("/" + f), after.at("/" + f), f);
                }
                // the continued run ends with the uninterrupted run's parameters (to float rounding, see ResumeTest)
                assertEquals(before.get("test_accuracy").asDouble(), after.get("test_accuracy").asDouble(), 2e-3,
                        "runs are reproducible: test accuracy of " + after);
                assertEquals(before.get("nonzero").asDouble(), after.get("nonzero").asDouble(),
                        1e-3 * before.get("weights").asDouble(), "runs are reproducible: non-zero weights of " + after);
            }
        }
        assertEquals(1, JSON.readTree(second.resolve("run.json").toFile()).get("resumed_after_epoch").asInt(),
                "the second run continued from its checkpoint of epoch 1");
        assertEquals(2, Files.readAllLines(second.resolve("metrics.jsonl")).size(), "each epoch once");
        assertEquals(0, JSON.readTree(third.resolve("run.json").toFile()).get("resumed_after_epoch").asInt(),
                "the third run, without a usable checkpoint, was trained from the start");
        try (Stream<Path> files = Files.walk(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files");
        }

        // Killed after the third run finished training but before its points were recorded: it is evaluated, not
        // trained again.
        String thirdRecord = Files.readString(third.resolve("run.json"));
        Files.write(out.resolve("sweep.jsonl"), resumed.subList(0, 15));
        Files.delete(out.resolve(".sweep.jsonl.crc"));
        assertEquals(0, Main.run(sweep(out)));
        assertEquals(20, Files.readAllLines(out.resolve("sweep.jsonl")).size());
        assertEquals(thirdRecord, Files.readString(third.resolve("run.json")), "not trained again");
        resumed = Files.readAllLines(out.resolve("sweep.jsonl"));

        // Resuming a finished sweep does nothing; a different spec is refused and leaves the output as it was.
        assertEquals(0, Main.run(sweep(out)));
        assertEquals(resumed, Files.readAllLines(out.resolve("sweep.jsonl")));
        StringWriter err = new StringWriter();
        String[] other = sweep(out, "1,2,3");
        int code = Main.run(new PrintWriter(err, true), other);
        assertEquals(UserErrors.BAD_USAGE, code, err.toString());
        assertTrue(err.toString().startsWith("sparsevd sweep: error: --output file:" + out), err.toString());
        assertTrue(err.toString().contains("holds a sweep started with a different spec (thresholds: "
                + "[1.0,2.0,3.0,4.0,5.0] recorded, [1.0,2.0,3.0] given)"), err.toString());
        assertEquals(resumed, Files.readAllLines(out.resolve("sweep.jsonl")));

        // Its report: the sweep's figures as valid PNGs, one page with them embedded, and every run's report.
        assertEquals(0, Main.run("report", "--input", out.toString()));
        String html = Files.readString(out.resolve("report/index.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"), "a whole page");
        for (String png : List.of("tradeoff.png", "accuracy-threshold.png", "compression-threshold.png",
                "sparsity-dense1.png", "sparsity-dense2.png", "sparsity-dense3.png")) {
            var image = ImageIO.read(out.resolve("report").resolve(png).toFile());
            assertEquals(900, image.getWidth(), png);
            assertTrue(html.contains("id=\"" + png + "\""), png + " embedded");
        }
        assertEquals(6 + 1, html.split("data:image/png;base64,").length, "six figures embedded");
        for (String run : List.of(run(0.1, 7), run(0.1, 13), run(1, 7), run(1, 13))) {
            assertTrue(Files.isRegularFile(out.resolve(run).resolve("report/index.html")), run);
            assertTrue(html.contains("href=\"../" + run + "/report/index.html\""), run + " linked");
        }
        assertTrue(html.contains("Pareto") && html.contains("selected"), "front and selection shown");
        assertTrue(html.contains("Selected on validation accuracy") && html.contains(" \u00b1 "), "mean \u00b1 std");
    }

    /**
     * --prune median: after an epoch of KL weight 0 (identical for both runs), a KL weight so large that the network
     * can no longer learn from the data (Adam's step follows the KL term) falls below the first run's (KL weight 0)
     * validation accuracy after epoch 2 and is stopped there; its rows say so, it is not selected, and a restarted
     * sweep that lost its rows evaluates it again without training it.
     */
    @Test
    void medianPruningStopsABadRunKeepsItsRowsAndIsNotRetrainedOnResume() throws Exception {
        Path out = tmp.resolve("pruned");
        String[] args = {"sweep", "--data", FashionMnist.DIR.toString(), "--output", out.toString(),
                "--kl-weights", "0,1000000", "--thresholds", "3", "--limit-train", "600", "--validation", "100",
                "--epochs", "3", "--kl-zero-epochs", "1", "--kl-ramp-epochs", "0", "--lr", "0.003", "--workers", "2",
                "--sync", "average", "--averaging-frequency", "3", "--seeds", "5", "--prune", "median",
                "--prune-after", "1"};
        assertEquals(0, Main.run(args));

        List<String> rows = Files.readAllLines(out.resolve("sweep.jsonl"));
        assertEquals(2, rows.size());
        JsonNode good = JSON.readTree(rows.get(0));
        JsonNode bad = JSON.readTree(rows.get(1));
        assertTrue(good.get("pruned_at_epoch").isNull(), good.toString());
        assertEquals(2, bad.get("pruned_at_epoch").asInt(), bad.toString());
        assertTrue(bad.get("val_accuracy").asDouble() < good.get("val_accuracy").asDouble());
        Path badRun = out.resolve("runs/kl-1000000-seed-5");
        assertEquals(2, Files.readAllLines(badRun.resolve("metrics.jsonl")).size(), "stopped after epoch 2");
        assertEquals(3, Files.readAllLines(out.resolve("runs/kl-0-seed-5/metrics.jsonl")).size());
        JsonNode record = JSON.readTree(badRun.resolve("run.json").toFile());
        assertEquals("pruned", record.get("status").asText());
        assertEquals(2, record.get("pruned_at_epoch").asInt());
        JsonNode best = JSON.readTree(out.resolve("best.json").toFile());
        assertEquals(0, best.get("selected").get("kl_weight").asDouble(), "a pruned point is not selected");
        assertEquals(1, best.get("runs_pruned").asInt());
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        int column = List.of(csv.get(0).split(",")).indexOf("pruned_at_epoch");
        assertEquals("", csv.get(1).split(",")[column]);
        assertEquals("2", csv.get(2).split(",")[column]);

        // Killed after the pruned run was stopped but before its rows were written: evaluated, not trained again.
        String recordText = Files.readString(badRun.resolve("run.json"));
        Files.write(out.resolve("sweep.jsonl"), rows.subList(0, 1));
        Files.delete(out.resolve(".sweep.jsonl.crc"));
        assertEquals(0, Main.run(args));
        List<String> resumed = Files.readAllLines(out.resolve("sweep.jsonl"));
        assertEquals(2, resumed.size());
        assertEquals(2, JSON.readTree(resumed.get(1)).get("pruned_at_epoch").asInt());
        assertEquals(recordText, Files.readString(badRun.resolve("run.json")), "not trained again");

        assertEquals(0, Main.run("report", "--input", out.toString()));
        String html = Files.readString(out.resolve("report/index.html"));
        assertTrue(html.contains("pruned at epoch 2"), "the report marks the pruned run");
    }

    /**
     * --parallel 2 (two runs of one worker each at once, in their own FAIR pools, with --prune floor so that runs
     * wait for the earlier runs of their seed) records the rows, and trains the runs, of the same sweep with
     * --parallel 1: identical but for times and the application id.
     */
    @Test
    void parallelRunsGiveTheRowsOfASequentialSweep() throws Exception {
        List<List<String>> outcomes = new ArrayList<>();
        for (String parallel : List.of("2", "1")) {
            Path out = tmp.resolve("parallel-" + parallel);
            String[] args = {"sweep", "--data", FashionMnist.DIR.toString(), "--output", out.toString(),
                    "--kl-weights", "0,1000000", "--thresholds", "1,3", "--limit-train", "600",
                    "--validation", "100",
                    "--epochs", "3", "--kl-zero-epochs", "1", "--kl-ramp-epochs", "0", "--lr", "0.003",
                    "--workers", "1",
                    "--sync", "average", "--averaging-frequency", "3", "--seeds", "5,6", "--prune", "floor",
                    "--prune-after", "1", "--master", "local[2]", "--parallel", parallel};
            assertEquals(0, Main.run(args));
            List<String> outcome = new ArrayList<>();
            for (String row : Files.readAllLines(out.resolve("sweep.jsonl"))) {
                outcome.add(withoutTimes(row));
            }
            try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
                for (Path run : runs.sorted().toList()) {
                    outcome.add(run.getFileName().toString());
                    for (String epoch : Files.readAllLines(run.resolve("metrics.jsonl"))) {
                        outcome.add(withoutTimes(epoch));
                    }
                    outcome.add(JSON.readTree(run.resolve("run.json").toFile()).path("status").asText());
                }
            }
            outcomes.add(outcome);
        }
        assertEquals(8, outcomes.get(0).stream().filter(l -> l.contains("\"threshold\"")).count(), "8 rows");
        assertTrue(outcomes.get(0).contains("pruned"), "the KL weight 1000000 runs are stopped early (the later run "
                + "of a seed waited for the earlier ones): " + outcomes.get(0));
        assertEquals(outcomes.get(1), outcomes.get(0), "--parallel 2 gives the rows and metrics of --parallel 1");
    }

    /** A JSON line without its wall times and Spark application id. */
    private static String withoutTimes(String line) throws Exception {
        JsonNode node = JSON.readTree(line);
        for (JsonNode n : List.of(node, node.path("provenance"))) {
            if (n instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                o.remove(List.of("seconds", "elapsed_seconds", "train_seconds", "finished_at", "spark_application_id"));
            }
        }
        return node.toString();
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
