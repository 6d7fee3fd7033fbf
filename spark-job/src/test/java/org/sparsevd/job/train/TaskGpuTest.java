package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

/** The GPU a task is pinned to, from the resource map Spark gives the task (faked here: no GPU on this machine). */
class TaskGpuTest {
    private final List<Integer> devices = new ArrayList<>();

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
}
