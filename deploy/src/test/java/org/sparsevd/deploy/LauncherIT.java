package org.sparsevd.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy/bin/sparsevd} as a user runs it: help, a bad option, and a short real training run. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("bin/sparsevd").toAbsolutePath();
    private static final String DATA = "/usr/share/datasets/fashion-mnist";

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run sparsevd(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SPARSEVD_DRIVER_MEMORY", "3g");
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher finished");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Run r = sparsevd("--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train"), r.out());
        r = sparsevd("train", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--averaging-frequency"), r.out());
    }

    @Test
    void badOptionIsOneLineAndExitCodeTwo() throws Exception {
        Path out = tmp.resolve("out");
        Run r = sparsevd("train", "--data", DATA, "--output", out.toString(), "--kl-weight", "NaN");
        assertEquals(2, r.code(), r.err());
        assertEquals("sparsevd train: error: --kl-weight must be a finite number >= 0, got NaN",
                r.err().lines().filter(l -> l.startsWith("sparsevd")).findFirst().orElse(r.err()));
        assertFalse(Files.exists(out));
    }

    @Test
    void shortTrainingRunPrintsEpochLinesAndWritesTheRun() throws Exception {
        Path out = tmp.resolve("run");
        Run r = sparsevd("train", "--data", DATA, "--output", out.toString(), "--limit-train", "1000",
                "--epochs", "2", "--workers", "2", "--report");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("epoch 1/2") && r.err().contains("epoch 2/2"), r.err());
        assertTrue(r.err().contains("INFO  TrainJob: Spark UI: http://"), r.err());
        String live = Files.readString(out.resolve("report/index.html"));
        assertTrue(live.contains("data:image/png;base64,") && !live.contains("http-equiv"), "the final report");
        assertTrue(r.err().contains("The KL weight reaches only 0.000 of its target 1, in the run's last epoch, 2: it "
                + "is 0 in epochs 1-6 and reaches 1 in epoch 21 (--kl-zero-epochs 5, --kl-ramp-epochs 15)"), r.err());
        assertEquals(2, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(Files.size(out.resolve("model.zip")) > 0);
        assertTrue(Files.exists(out.resolve("run.json")));

        Run report = sparsevd("report", "--input", out.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(out.resolve("report/index.html")).contains("data:image/png;base64,"));
    }

    @Test
    void runWhoseLayersAreAllPrunedSaysSo() throws Exception {
        // KL weight 1 from the first step with a high learning rate: the untrained network is pruned away (2 workers
        // of 10 examples a step averaging every 10, the configuration this test was written for before --batch-size
        // became global and --sync was added)
        Path out = tmp.resolve("collapsed");
        Run r = sparsevd("train", "--data", DATA, "--output", out.toString(), "--limit-train", "1000", "--epochs", "1",
                "--kl-zero-epochs", "0", "--kl-ramp-epochs", "0", "--batch-size", "20", "--sync", "average", "--lr", "0.01");
        assertEquals(0, r.code(), r.err());
        // which layers go whole depends on the noise drawn: dense2 (and with other noise dense3 too; dense3 kept
        // 2 of its 1,000 weights with the noise of sparsevd's own generator)
        assertTrue(r.err().contains("Epoch 1: every weight of [dense2"), r.err());
        assertTrue(r.err().contains("] is pruned (log alpha >= 3.0): the network's output no longer depends on its "
                + "input."), r.err());
        assertTrue(r.err().contains("warm up with --kl-zero-epochs/--kl-ramp-epochs"), r.err());
    }

    @Test
    void klCurveWritesItsPlotsAndTable() throws Exception {
        Path out = tmp.resolve("kl");
        Run r = sparsevd("kl-curve", "--output", out.toString(), "--points", "101");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("max |difference|"), r.out());
        assertEquals(102, Files.readAllLines(out.resolve("kl-curve.csv")).size());
        assertTrue(Files.size(out.resolve("kl-curve.png")) > 1000);
    }

    /** The README's spark-submit form: Spark's own SparkSubmit (from the Maven jars) runs the application jar. */
    @Test
    void sparkSubmitRunsTheApplicationJar() throws Exception {
        Path appJar = DeployFiles.appJar();
        String opens = DeployFiles.javaOpens();
        Path out = tmp.resolve("submitted");
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(List.of(opens.split(" ")));
        cmd.addAll(List.of("-cp", "target/lib/*", "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
                "--conf", "spark.driver.extraJavaOptions=" + opens, "--class", "org.sparsevd.job.Main",
                appJar.toAbsolutePath().toString(),
                "train", "--data", DATA, "--output", out.toString(), "--limit-train", "1000", "--epochs", "1"));
        Run r = run(cmd);
        assertEquals(0, r.code(), r.err());
        assertEquals(1, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"spark_master\" : \"local[2]\""));
    }
}
