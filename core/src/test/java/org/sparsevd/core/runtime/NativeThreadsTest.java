package org.sparsevd.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

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

    @Test
    void applySetsTheBlasPool() {
        NativeThreads.apply();
        assertEquals(NativeThreads.blasThreads(System.getenv(NativeThreads.ENV)),
                Nd4j.factory().blas().getMaxThreads());
    }
}
