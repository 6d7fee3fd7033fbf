package org.sparsevd.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.arch.Lenet5;
import org.sparsevd.core.arch.Variant;

class NativeThreadsTest {
    @Test
    void defaultsToOneAndParsesTheVariable() {
        assertEquals(1, NativeThreads.blasThreads(null));
        assertEquals(1, NativeThreads.blasThreads(" "));
        assertEquals(3, NativeThreads.blasThreads("3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeThreads.blasThreads("0"));
        assertEquals("SPARSEVD_BLAS_THREADS must be a whole number >= 1, got '0'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NativeThreads.blasThreads("two"));
    }

    /** LeNet-300-100 (dense layers only) gets one OpenMP thread; LeNet-5, Sparse VD or plain, the JVM's. */
    @Test
    void aNetworkWithoutConvolutionsGetsOneOpenMpThread() {
        ArchitectureSettings s = ArchitectureSettings.defaults(1000);
        for (Variant v : Variant.values()) {
            assertEquals(1, NativeThreads.ompThreadsFor(Lenet300.of(s, v, 0.5), 4), v.name());
            assertEquals(4, NativeThreads.ompThreadsFor(Lenet5.of(s, v, 0.5), 4), v.name());
        }
        assertEquals(3, NativeThreads.ompThreads("3"));
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, NativeThreads.ompThreads(null));
        assertEquals(cores, NativeThreads.ompThreads("0"));
        assertEquals(cores, NativeThreads.ompThreads("many"));
    }

    /**
     * On a thread whose ND4J ops had 3 OpenMP threads, training LeNet-300-100 leaves 1, and the setting is the
     * thread's own: the test's thread keeps what it had.
     */
    @Test
    void forNetworkSetsTheCallingThreadsOpenMpThreads() throws Exception {
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int mine = ops.ompGetMaxThreads();
        MultiLayerConfiguration dense = Lenet300.of(ArchitectureSettings.defaults(1000), Variant.SPARSEVD, 0);
        AtomicIntegerArray seen = new AtomicIntegerArray(2);
        Thread worker = new Thread(() -> {
            ops.setOmpNumThreads(3);
            seen.set(0, ops.ompGetMaxThreads());
            NativeThreads.forNetwork(dense);
            seen.set(1, ops.ompGetMaxThreads());
        });
        worker.start();
        worker.join();
        assertEquals(3, seen.get(0), "the native call sets the thread's threads");
        assertEquals(1, seen.get(1));
        assertEquals(mine, ops.ompGetMaxThreads());
    }

    @Test
    void applySetsTheBlasPool() {
        NativeThreads.apply();
        assertEquals(NativeThreads.blasThreads(System.getenv(NativeThreads.ENV)),
                Nd4j.factory().blas().getMaxThreads());
    }
}
