package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU a task is pinned to, from the resource map Spark gives the task (faked here: no GPU on this machine). */
class TaskGpuTest {
    private final List<Integer> devices = new ArrayList<>();
    @TempDir
    Path tmp;

    private OptionalInt pin(Map<String, ResourceInformation> resources) {
        return TaskGpu.pin(resources, devices::add);
    }

    @Test
    void pinsToTheAssignedAddress() {
        assertEquals(OptionalInt.of(3), pin(Map.of("gpu", new ResourceInformation("gpu", new String[] {"3"}))));
        assertEquals(List.of(3), devices);
    }

    @Test
    void twoTasksOfOneExecutorGetTheirOwnGpus() {
        pin(Map.of("gpu", new ResourceInformation("gpu", new String[] {"0"})));
        pin(Map.of("gpu", new ResourceInformation("gpu", new String[] {"1"})));
        assertEquals(List.of(0, 1), devices);
    }

    @Test
    void withSeveralAddressesTheFirstIsUsed() {
        assertEquals(OptionalInt.of(2), pin(Map.of("gpu", new ResourceInformation("gpu", new String[] {"2", "5"}))));
    }

    @Test
    void noGpuResourceLeavesTheDeviceAlone() {
        assertEquals(OptionalInt.empty(), pin(Map.of()));
        assertEquals(OptionalInt.empty(), pin(Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"}))));
        assertEquals(OptionalInt.empty(), pin(Map.of("gpu", new ResourceInformation("gpu", new String[0]))));
        assertTrue(devices.isEmpty());
    }

    @Test
    void anAddressThatIsNotADeviceIndexIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pin(Map.of("gpu", new ResourceInformation("gpu", new String[] {"GPU-8f3e"}))));
        assertTrue(e.getMessage().contains("'GPU-8f3e' is not a CUDA device index"), e.getMessage());
        assertTrue(devices.isEmpty());
    }

    @Test
    void outsideATaskNothingHappens() {
        TaskGpu.pinCurrentTask();
    }

    /** A fake nvidia-smi answering the name,compute_cap query with {@code row}; it records its arguments. */
    private String nvidiaSmi(String row, int exit) throws IOException {
        Path f = tmp.resolve("nvidia-smi");
        Files.writeString(f, "#!/bin/sh\necho \"$@\" > " + tmp.resolve("args") + "\necho '" + row + "'\nexit " + exit + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f.toString();
    }

    @Test
    void refusesGpusOfComputeCapabilityNineAndNewerInOneLine() throws Exception {
        assertEquals("GPU 0 (NVIDIA H100 80GB HBM3) has compute capability 9.0; the gpu build runs on "
                        + "compute capability 3.7 to 8.9 (nd4j-cuda-11.6 1.0.0-M2.1: machine code for sm_37..sm_86, no PTX)",
                TaskGpu.refusal(nvidiaSmi("NVIDIA H100 80GB HBM3, 9.0", 0), 0, null));
        assertEquals("--query-gpu=name,compute_cap --format=csv,noheader -i 0", Files.readString(tmp.resolve("args")).strip());
        assertTrue(TaskGpu.refusal(nvidiaSmi("NVIDIA B200, 10.0", 0), 1, null).startsWith("GPU 1 (NVIDIA B200) has "
                + "compute capability 10.0;"));
        assertTrue(TaskGpu.refusal(nvidiaSmi("Tesla K20, 3.5", 0), 0, null).contains("compute capability 3.5;"));
    }

    @Test
    void acceptsTheSupportedRangeIncludingAda() throws Exception {
        assertEquals("", TaskGpu.refusal(nvidiaSmi("Tesla K80, 3.7", 0), 0, null));
        assertEquals("", TaskGpu.refusal(nvidiaSmi("NVIDIA A100-SXM4-40GB, 8.0", 0), 0, null));
        assertEquals("", TaskGpu.refusal(nvidiaSmi("NVIDIA GeForce RTX 4090, 8.9", 0), 0, null));
    }

    @Test
    void asksAboutTheDeviceCudaVisibleDevicesNames() throws Exception {
        TaskGpu.refusal(nvidiaSmi("NVIDIA A10, 8.6", 0), 1, "3,GPU-8f3e");
        assertEquals("--query-gpu=name,compute_cap --format=csv,noheader -i GPU-8f3e",
                Files.readString(tmp.resolve("args")).strip());
    }

    @Test
    void withoutAnAnswerNothingIsRefused() throws Exception {
        assertEquals("", TaskGpu.refusal(nvidiaSmi("Field \"compute_cap\" is not a valid field to query.", 2), 0, null));
        assertEquals("", TaskGpu.refusal(tmp.resolve("no-such-nvidia-smi").toString(), 0, null));
    }
}
