package org.sparsevd.job.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins ND4J, for the thread running a Spark task, to the GPU Spark's scheduler assigned to the task
 * ({@code spark.task.resource.gpu.amount}, addresses from the executor's discovery script), so that tasks sharing an
 * executor with several GPUs each use their own. Call it first thing in a task, before any array is created: ND4J
 * allocates an array on the device of the thread that creates it. Without a {@code gpu} resource (CPU executors,
 * local mode) it does nothing, and on the CPU backend setting a device is a no-op.
 *
 * <p>Before pinning, it refuses a GPU the gpu build cannot run ({@link #SUPPORTED}), asking {@code nvidia-smi} for
 * the device's compute capability once per executor and device.
 */
public final class TaskGpu {
    private static final Logger log = LoggerFactory.getLogger(TaskGpu.class);

    /** Spark's resource name for GPUs. */
    public static final String RESOURCE = "gpu";

    /**
     * The GPUs the gpu build runs on: ND4J's CUDA backend nd4j-cuda-11.6 1.0.0-M2.1 carries machine code for
     * sm_37..sm_86 and no PTX, so compute capability 8.9 (Ada) runs the 8.6 code and 9.0 (Hopper) and newer cannot
     * run it. The same range as deploy/conf/gpu-guard.sh, the launchers' check (a test compares them).
     */
    public static final String SUPPORTED =
            "compute capability 3.7 to 8.9 (nd4j-cuda-11.6 1.0.0-M2.1: machine code for sm_37..sm_86, no PTX)";
    private static final int MIN_CAPABILITY = 37;
    private static final int CAPABILITY_LIMIT = 90;
    /** Per CUDA device: "" if supported or not checkable, else the refusal. */
    private static final Map<Integer, String> CHECKED = new ConcurrentHashMap<>();

    private TaskGpu() {
    }

    /** Pins the running task's thread to its assigned GPU, if it has one. */
    public static void pinCurrentTask() {
        TaskContext task = TaskContext.get();
        if (task != null) {
            pin(task.resourcesJMap(), device -> {
                String refusal = CHECKED.computeIfAbsent(device,
                        d -> refusal("nvidia-smi", d, System.getenv("CUDA_VISIBLE_DEVICES")));
                if (!refusal.isEmpty()) {
                    throw new IllegalStateException(refusal);
                }
                Nd4j.getAffinityManager().unsafeSetDevice(device);
            });
        }
    }

    /**
     * Pins with {@code setDevice} to the first address of the {@code gpu} resource in {@code resources} (a task's
     * resource map); returns the device, or empty if the task has no GPU.
     *
     * @throws IllegalStateException if the address is not a device index (the discovery script must print the
     *                               indices CUDA uses, e.g. {@code nvidia-smi --query-gpu=index})
     */
    static OptionalInt pin(Map<String, ResourceInformation> resources, IntConsumer setDevice) {
        ResourceInformation gpu = resources.get(RESOURCE);
        if (gpu == null || gpu.addresses().length == 0) {
            return OptionalInt.empty();
        }
        String address = gpu.addresses()[0];
        int device;
        try {
            device = Integer.parseInt(address.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the task's GPU address '" + address + "' is not a CUDA device index; "
                    + "the GPU discovery script must print device indices", e);
        }
        if (gpu.addresses().length > 1) {
            log.warn("The task was given GPUs {}; ND4J trains on one, {}: set spark.task.resource.gpu.amount=1",
                    String.join(",", gpu.addresses()), device);
        }
        setDevice.accept(device);
        log.debug("Task pinned to GPU {}", device);
        return OptionalInt.of(device);
    }

    /**
     * Why CUDA device {@code device} cannot be used, or "" if it can or cannot be checked (no nvidia-smi, or one
     * without the compute_cap field of drivers before 510: a warning is logged). With {@code CUDA_VISIBLE_DEVICES}
     * set, device k is its k-th entry (an index or a UUID, as nvidia-smi takes them).
     */
    static String refusal(String nvidiaSmi, int device, String cudaVisibleDevices) {
        String id = String.valueOf(device);
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            String[] visible = cudaVisibleDevices.split(",");
            if (device < visible.length) {
                id = visible[device].trim();
            }
        }
        String row;
        try {
            Process p = new ProcessBuilder(nvidiaSmi, "--query-gpu=name,compute_cap", "--format=csv,noheader", "-i", id)
                    .redirectErrorStream(true).start();
            row = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                log.warn("Cannot check GPU {} against the supported {}: nvidia-smi says: {}", id, SUPPORTED, row);
                return "";
            }
        } catch (IOException e) {
            log.warn("Cannot check GPU {} against the supported {}: {}", id, SUPPORTED, e.getMessage());
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking nvidia-smi about GPU " + id, e);
        }
        int comma = row.lastIndexOf(',');
        String name = comma < 0 ? row : row.substring(0, comma).strip();
        String cc = comma < 0 ? "" : row.substring(comma + 1).strip();
        if (!cc.matches("[0-9]+\\.[0-9]")) {
            log.warn("Cannot check GPU {} against the supported {}: nvidia-smi says: {}", id, SUPPORTED, row);
            return "";
        }
        int value = Integer.parseInt(cc.replace(".", ""));
        if (value >= MIN_CAPABILITY && value < CAPABILITY_LIMIT) {
            return "";
        }
        return "GPU " + id + " (" + name + ") has compute capability " + cc + "; the gpu build runs on " + SUPPORTED;
    }
}
