package org.sparsevd.job.train;

import java.util.Map;
import java.util.OptionalInt;
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
 */
public final class TaskGpu {
    private static final Logger log = LoggerFactory.getLogger(TaskGpu.class);

    /** Spark's resource name for GPUs. */
    public static final String RESOURCE = "gpu";

    private TaskGpu() {
    }

    /** Pins the running task's thread to its assigned GPU, if it has one. */
    public static void pinCurrentTask() {
        TaskContext task = TaskContext.get();
        if (task != null) {
            pin(task.resourcesJMap(), device -> Nd4j.getAffinityManager().unsafeSetDevice(device));
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
}
