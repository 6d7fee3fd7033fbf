package org.sparsevd.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/gpu-discovery}, Spark's GPU discovery script for sparsevd executors, run against a fake
 * {@code nvidia-smi} (there is no GPU here): its output must parse as Spark's resource JSON.
 */
class GpuDiscoveryIT {
    @TempDir
    Path tmp;

    /** A discovery script running bin/gpu-discovery with a fake nvidia-smi listing {@code gpus} and the environment. */
    private Path discovery(String env, int gpus) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("fake-bin"));
        StringBuilder list = new StringBuilder();
        StringBuilder capabilities = new StringBuilder();
        for (int i = 0; i < gpus; i++) {
            list.append(i).append("\\n");
            capabilities.append(i).append(", GPU-").append(i).append(", NVIDIA A100-SXM4-40GB, 8.0\\n");
        }
        executable(bin.resolve("nvidia-smi"), "#!/bin/sh\ncase \"$*\" in *compute_cap*) printf '" + capabilities
                + "' ;; *) printf '" + list + "' ;; esac\n");
        return executable(tmp.resolve("discover.sh"), "#!/bin/sh\nPATH=" + bin + ":$PATH " + env + " exec "
                + Path.of("bin/gpu-discovery").toAbsolutePath() + "\n");
    }

    private static Path executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static String run(Path script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue() + " " + out;
    }

    @Test
    void discoveryPrintsCudaOrdinalsAndFailsWithoutGpus() throws Exception {
        String three = run(discovery("", 3));
        assertEquals("0 {\"name\": \"gpu\", \"addresses\": [\"0\", \"1\", \"2\"]}", three);
        ResourceInformation parsed = ResourceInformation.parseJson(three.substring(2));
        assertEquals("gpu", parsed.name());
        assertEquals(List.of("0", "1", "2"), List.of(parsed.addresses()), "what Spark reads");
        assertEquals("0 {\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}",
                run(discovery("CUDA_VISIBLE_DEVICES=2,1", 3)), "CUDA renumbers the visible devices from 0");
        String none = run(discovery("", 0));
        assertTrue(none.startsWith("1 gpu-discovery: no GPU visible"), none);
    }
}
