package org.sparsevd.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsevd.job.train.TaskGpu;

/**
 * The gpu build's launchers, bin/gpu-discovery and bench/gpu-check.sh refuse a GPU of compute capability 9.0 or
 * newer in one line naming it and the supported range, against a fake {@code nvidia-smi} (there is no GPU here)
 * listing an A100 (8.0, supported) as device 0 and an H100 (9.0) as device 1.
 */
class GpuGuardIT {
    private static final String H100_REFUSAL = "error: GPU 1 (NVIDIA H100 80GB HBM3) has compute capability 9.0; "
            + "the gpu build runs on " + TaskGpu.SUPPORTED;

    @TempDir
    Path tmp;

    private Path fakeBin() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("fake-bin"));
        executable(bin.resolve("nvidia-smi"), "#!/bin/sh\ncase \"$*\" in\n"
                + "  *compute_cap*) printf '0, GPU-aaa, NVIDIA A100-SXM4-40GB, 8.0\\n1, GPU-bbb, NVIDIA H100 80GB HBM3, 9.0\\n' ;;\n"
                + "  *) printf '0\\n1\\n' ;;\nesac\n");
        return bin;
    }

    /** A lib directory that looks like the gpu build's to bin/sparsevd, and a "JDK" whose java only says it ran. */
    private Map<String, String> gpuBuild() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.createFile(lib.resolve("sparsevd-spark-job-0.1.0-SNAPSHOT.jar"));
        Files.createFile(lib.resolve("nd4j-cuda-11.6-1.0.0-M2.1.jar"));
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        executable(jdk.resolve("java"), "#!/bin/sh\necho java ran\n");
        return Map.of("SPARSEVD_LIB", lib.toString(), "JAVA_HOME", jdk.getParent().toString());
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Exit code and output (stdout and stderr) of a command with the fake nvidia-smi first on PATH. */
    private String run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", fakeBin() + ":" + System.getenv("PATH"));
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue() + " " + out;
    }

    @Test
    void theLauncherOfTheGpuBuildRefusesAHopperGpuAndAcceptsTheOthers() throws Exception {
        String launcher = Path.of("bin/sparsevd").toAbsolutePath().toString();
        Map<String, String> gpuBuild = gpuBuild();
        assertEquals("2 sparsevd: " + H100_REFUSAL, run(gpuBuild, launcher, "train", "--help"));
        Map<String, String> onlyA100 = new java.util.HashMap<>(gpuBuild);
        onlyA100.put("CUDA_VISIBLE_DEVICES", "GPU-aaa");
        assertEquals("0 java ran", run(onlyA100, launcher, "train", "--help"));
    }

    @Test
    void submitRefusesAHopperGpuForADriverStartedHereFromACudaJar() throws Exception {
        Path jar = tmp.resolve("app.jar");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("org/nd4j/linalg/jcublas/JCublasBackend.class"));
            zip.closeEntry();
        }
        String submit = Path.of("bin/sparsevd-submit").toAbsolutePath().toString();
        Map<String, String> env = new java.util.HashMap<>(Map.of("SPARSEVD_APP_JAR", jar.toString(),
                "SPARSEVD_SUBMIT_DRY_RUN", "1", "SPARK_HOME", tmp.resolve("spark").toString()));
        assertEquals("2 sparsevd-submit: " + H100_REFUSAL, run(env, submit, "local[2]", "train"));
        env.put("CUDA_VISIBLE_DEVICES", "0");
        assertTrue(run(env, submit, "local[2]", "train").startsWith("0 "), "the A100 alone is accepted");
    }

    @Test
    void theCpuBuildsLauncherDoesNotAsk() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(gpuBuild());
        Files.delete(Path.of(env.get("SPARSEVD_LIB")).resolve("nd4j-cuda-11.6-1.0.0-M2.1.jar"));
        assertEquals("0 java ran", run(env, Path.of("bin/sparsevd").toAbsolutePath().toString(), "--version"));
    }

    @Test
    void discoveryRefusesAHopperGpu() throws Exception {
        String out = run(Map.of(), Path.of("bin/gpu-discovery").toAbsolutePath().toString());
        assertTrue(out.startsWith("1 gpu-discovery on ") && out.endsWith(H100_REFUSAL) && out.lines().count() == 1, out);
        assertEquals("0 {\"name\": \"gpu\", \"addresses\": [\"0\"]}", run(Map.of("CUDA_VISIBLE_DEVICES", "0"),
                Path.of("bin/gpu-discovery").toAbsolutePath().toString()));
    }

    @Test
    void theGpuCheckScriptRefusesBeforeBuildingAndParsesItsOptions() throws Exception {
        String script = Path.of("../bench/gpu-check.sh").toAbsolutePath().normalize().toString();
        assertEquals("2 gpu-check: " + H100_REFUSAL, run(Map.of(), script, "--limit-train", "1000"));
        assertEquals("2 usage: bench/gpu-check.sh [--data DIR] [--limit-train N] [--seed S] [--output DIR]",
                run(Map.of(), script, "--epochs", "3"));
        assertEquals("2 gpu-check: error: --seed must be an integer, got 'x'", run(Map.of(), script, "--seed", "x"));
        List<String> noSmi = new ArrayList<>(List.of("env", "PATH=/usr/bin:/bin", script));
        assertEquals("2 gpu-check: error: nvidia-smi not found: this check needs an NVIDIA GPU and its driver",
                run(Map.of(), noSmi.toArray(String[]::new)));
    }

    @Test
    void theShellGuardAndTheExecutorCheckNameTheSameRange() throws Exception {
        String sh = Files.readString(Path.of("conf/gpu-guard.sh"));
        assertTrue(sh.contains("SPARSEVD_GPU_SUPPORTED=\"" + TaskGpu.SUPPORTED + "\""), "conf/gpu-guard.sh and TaskGpu");
        assertTrue(sh.contains("< 37 ||") && sh.contains(">= 90"), "the numeric bounds of the range");
    }
}
