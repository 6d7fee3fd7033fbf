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
import org.sparsevd.job.TrainJob;
import org.sparsevd.job.cli.TrainOptions;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.Main;
import org.sparsevd.job.cli.UserErrors;
import org.sparsevd.job.output.RunFiles;
import picocli.CommandLine;

/**
 * A 3 KL weights x 5 thresholds sweep on a small Fashion-MNIST subset, end to end in embedded local mode; then the
 * state a kill during the second training run leaves behind (the first run's rows, the second run's checkpoint of
 * its first epoch, a torn third run) is restarted: every point ends up recorded exactly once, the first run's
 * points untouched, the second run continued from its checkpoint and the third trained again.
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
                "--output", out.toString(), "--kl-weights", "0.1,0.3,1", "--thresholds", thresholds,
                "--limit-train", "600", "--epochs", "2", "--kl-zero-epochs", "0", "--kl-ramp-epochs", "1",
                "--workers", "2", "--averaging-frequency", "3", "--seed", "7"};
    }

    @Test
    void sweepRecordsEveryPointOnceAndResumesAfterAKill() throws Exception {
        Path out = tmp.resolve("sweep");
        assertEquals(0, Main.run(sweep(out)));

        List<String> rows = Files.readAllLines(out.resolve("sweep.jsonl"));
        assertEquals(15, rows.size());
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(16, csv.size());
        assertTrue(csv.get(0).startsWith("kl_weight,threshold,test_accuracy,compression,weights,nonzero,"
                + "dense1_nonzero,dense1_sparsity"), csv.get(0));
        assertTrue(csv.get(0).contains(",run,seed,") && csv.get(0).contains("version_dl4j"), csv.get(0));
        int i = 0;
        for (double w : new double[] {0.1, 0.3, 1}) {
            JsonNode previous = null;
            for (double t = 1; t <= 5; t++) {
                JsonNode row = JSON.readTree(rows.get(i++));
                assertEquals(w, row.get("kl_weight").asDouble());
                assertEquals(t, row.get("threshold").asDouble());
                JsonNode p = row.get("provenance");
                assertEquals("runs/kl-" + (w == 1 ? "1" : String.valueOf(w)), p.get("run").asText());
                assertEquals(7, p.get("seed").asLong());
                assertEquals(600, p.get("train_examples").asLong());
                assertTrue(p.get("versions").get("spark").asText().startsWith("3.5"), p.toString());
                assertFalse(row.has("pareto"), "the front changes as points are added: it is in best.json");
                if (previous != null) { // a higher threshold prunes fewer weights
                    assertTrue(row.get("nonzero").asLong() >= previous.get("nonzero").asLong(), row.toString());
                }
                previous = row;
            }
            assertTrue(Files.exists(out.resolve("runs/kl-" + (w == 1 ? "1" : String.valueOf(w)) + "/model.zip")));
        }
        JsonNode best = JSON.readTree(out.resolve("best.json").toFile());
        assertTrue(best.get("complete").asBoolean());
        assertEquals(15, best.get("points_recorded").asInt());
        JsonNode selected = best.get("selected");
        assertTrue(selected.get("test_accuracy").asDouble() >= best.get("best_accuracy").asDouble() - 0.01);
        assertTrue(best.get("pareto_front").size() >= 1);
        assertTrue(JSON.readTree(out.resolve("sweep.json").toFile()).get("spec").get("kl_weights").isArray());

        // What a kill during the second training run leaves: the first run's 5 rows; the second run stopped after
        // its first epoch (a real run of that configuration, stopped by its epoch hook: checkpoint and metrics of
        // epoch 1, no model); the third run killed before its first checkpoint completed (a torn checkpoint.zip).
        Files.write(out.resolve("sweep.jsonl"), rows.subList(0, 5));
        Files.delete(out.resolve(".sweep.jsonl.crc"));
        Path second = out.resolve("runs/kl-0.3");
        deleteTree(second);
        TrainOptions options = new TrainOptions();
        List<String> trainArgs = new ArrayList<>(List.of(sweep(out)).subList(1, sweep(out).length));
        trainArgs.subList(4, 8).clear(); // the sweep's own --kl-weights and --thresholds
        new CommandLine(options).parseArgs(trainArgs.toArray(String[]::new));
        TrainConfig secondRun = new SweepConfig(options.config(), List.of(0.1, 0.3, 1.0),
                List.of(1.0, 2.0, 3.0, 4.0, 5.0), 1.0).run(0.3);
        assertThrows(IllegalStateException.class, () -> new TrainJob(secondRun, false, m -> {
            throw new IllegalStateException("killed after epoch " + m.epoch());
        }).run());
        assertTrue(Files.exists(second.resolve(RunFiles.CHECKPOINT)) && !Files.exists(second.resolve("model.zip")));
        Path third = out.resolve("runs/kl-1");
        deleteTree(third);
        Files.createDirectories(third);
        Files.write(third.resolve(RunFiles.CHECKPOINT), new byte[] {'P', 'K', 3, 4, 0});

        StringWriter resumeErr = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(resumeErr, true), sweep(out)), resumeErr.toString());
        List<String> resumed = Files.readAllLines(out.resolve("sweep.jsonl"));
        assertEquals(15, resumed.size(), "every point exactly once");
        assertEquals(rows.subList(0, 5), resumed.subList(0, 5), "finished points are kept byte for byte");
        assertEquals(csv.subList(0, 6), Files.readAllLines(out.resolve("sweep.csv")).subList(0, 6),
                "the CSV's header and finished rows are kept byte for byte");
        for (int k = 0; k < 15; k++) {
            JsonNode before = JSON.readTree(rows.get(k));
            JsonNode after = JSON.readTree(resumed.get(k));
            String app = "/provenance/spark_application_id";
            if (k >= 5) {
                assertNotEquals(before.at(app), after.at(app), "recorded by the new application");
                for (String f : List.of("kl_weight", "threshold")) {
                    assertEquals(before.get(f), after.get(f), f);
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
        Files.write(out.resolve("sweep.jsonl"), resumed.subList(0, 10));
        Files.delete(out.resolve(".sweep.jsonl.crc"));
        assertEquals(0, Main.run(sweep(out)));
        assertEquals(15, Files.readAllLines(out.resolve("sweep.jsonl")).size());
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
        for (String run : List.of("runs/kl-0.1", "runs/kl-0.3", "runs/kl-1")) {
            assertTrue(Files.isRegularFile(out.resolve(run).resolve("report/index.html")), run);
            assertTrue(html.contains("href=\"../" + run + "/report/index.html\""), run + " linked");
        }
        assertTrue(html.contains("Pareto") && html.contains("selected"), "front and selection shown");
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
