package org.sparsevd.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep of 3 KL weights x 5 thresholds run by {@code deploy/bin/sparsevd}, killed with SIGKILL during its second
 * training run and started again with the same command: it ends with exactly 15 rows, the 5 points finished before
 * the kill byte for byte as they were (in sweep.jsonl and sweep.csv), the second run continued from its checkpoint.
 */
class SweepKillIT {
    private static final Path LAUNCHER = Path.of("bin/sparsevd").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Process start(Path out, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "sweep",
                "--data", "/usr/share/datasets/fashion-mnist", "--output", out.toString(),
                "--kl-weights", "0.1,0.3,1", "--thresholds", "1,2,3,4,5", "--limit-train", "1000", "--epochs", "2",
                "--kl-zero-epochs", "0", "--kl-ramp-epochs", "2", "--workers", "2", "--sync", "average", "--averaging-frequency", "3",
                "--seed", "11", "--validation", "200");
        pb.environment().put("SPARSEVD_DRIVER_MEMORY", "3g");
        pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        return pb.start();
    }

    @Test
    void killedDuringTheSecondRunAndRestartedEndsWithEveryPointOnce() throws Exception {
        Path out = tmp.resolve("sweep");
        Path secondRun = out.resolve("runs/kl-0.3-seed-11/metrics.jsonl");
        Process first = start(out, tmp.resolve("first.log"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!Files.exists(secondRun) && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(first.isAlive(), "still running: " + Files.readString(tmp.resolve("first.log")));
        assertTrue(Files.exists(secondRun), "the second run has started");
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
        assertTrue(first.waitFor(1, TimeUnit.MINUTES));
        assertEquals(137, first.exitValue(), "killed by SIGKILL");

        List<String> before = Files.readAllLines(out.resolve("sweep.jsonl"));
        List<String> csvBefore = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(5, before.size(), "the first run's points were recorded before the kill");
        assertFalse(Files.exists(out.resolve("runs/kl-0.3-seed-11/run.json")), "the second run was unfinished");

        Process second = start(out, tmp.resolve("second.log"));
        assertTrue(second.waitFor(5, TimeUnit.MINUTES));
        String log = Files.readString(tmp.resolve("second.log"));
        assertEquals(0, second.exitValue(), log);
        assertTrue(log.contains("training run 1/3, kl_weight=0.1 seed=11: already recorded, skipped"), log);
        assertTrue(log.contains("continuing the unfinished runs/kl-0.3-seed-11 of an earlier attempt from its checkpoint "
                + "(epoch "), log); // the kill came after its first epoch's checkpoint (metrics.jsonl is written after it)
        assertTrue(log.contains("row 15/15"), log);

        List<String> after = Files.readAllLines(out.resolve("sweep.jsonl"));
        assertEquals(15, after.size(), "every point exactly once");
        List<String> points = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            JsonNode row = JSON.readTree(after.get(i));
            points.add(row.get("kl_weight").asText() + "/" + row.get("threshold").asText());
        }
        assertEquals(15, points.stream().distinct().count(), points.toString());
        // append-only: the rows finished before the kill are the same bytes, written by another JVM
        assertEquals(before, after.subList(0, 5), "sweep.jsonl rows finished before the kill");
        List<String> csvAfter = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(16, csvAfter.size());
        assertEquals(csvBefore, csvAfter.subList(0, 6), "sweep.csv header and rows finished before the kill");
        assertTrue(JSON.readTree(out.resolve("best.json").toFile()).get("complete").asBoolean());
        assertEquals(2, Files.readAllLines(out.resolve("runs/kl-0.3-seed-11/metrics.jsonl")).size(), "each epoch once");
        int resumedAfter = JSON.readTree(out.resolve("runs/kl-0.3-seed-11/run.json").toFile()).get("resumed_after_epoch").asInt();
        assertTrue(resumedAfter >= 1, "continued from its checkpoint, not trained again: " + resumedAfter);
    }
}
