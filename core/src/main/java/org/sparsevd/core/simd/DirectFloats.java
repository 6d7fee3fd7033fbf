package org.sparsevd.core.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct access to the native memory of float ND4J arrays, for the fused SIMD kernels ({@code jdk.incubator.vector})
 * that replace chains of ND4J element-wise ops on training's hot path. This class itself uses no incubator API:
 * {@link #enabled()} tells whether the kernels may be loaded at all, and is the one place that decides it.
 */
public final class DirectFloats {
    private static final Logger log = LoggerFactory.getLogger(DirectFloats.class);

    /** The system property that turns the fused kernels off ({@code false}); read at every use. */
    public static final String PROPERTY = "sparsevd.simd";
    /** ND4J's CPU backend, the only one whose array memory {@link #buffer} addresses. */
    static final String CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /**
     * Whether SIMD code on Java arrays may run (the inference engine): the JVM has the Vector API module and
     * {@code -Dsparsevd.simd=false} did not turn it off at start-up. The fused training kernels ask {@link #enabled()}.
     */
    public static final boolean VECTOR_MODULE = MODULE && !"false".equals(System.getProperty(PROPERTY));
    /** The lane count of the widest vector species (512 bits) a kernel may run with. */
    public static final int MAX_LANES = 16;
    private static final int SCRATCH_BUFFERS = 4;
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() ->
            ByteBuffer.allocateDirect(SCRATCH_BUFFERS * MAX_LANES * Float.BYTES).order(ByteOrder.nativeOrder()));

    private DirectFloats() {
    }

    /**
     * Whether the fused SIMD kernels run: only on ND4J's CPU backend (on CUDA an array's {@code addressPointer()}
     * is a host copy of data that lives on the device), only when the JVM was started with
     * {@code --add-modules jdk.incubator.vector} (the launchers and tests do), and unless the system property
     * {@code sparsevd.simd=false} turns them off. Otherwise the same numbers come from ND4J ops, more slowly.
     */
    public static boolean enabled() {
        return usable(MODULE, Backend.NAME) && !"false".equals(System.getProperty(PROPERTY));
    }

    /**
     * Whether {@link #buffer} can address ND4J's arrays: only on ND4J's CPU backend, whose arrays live in host memory
     * (whether or not the fused kernels run).
     */
    public static boolean hostMemory() {
        return CPU_BACKEND.equals(Backend.NAME);
    }

    /** ND4J's backend, looked up at the first {@link #enabled()} (not when the engine reads {@link #VECTOR_MODULE}). */
    private static final class Backend {
        static final String NAME = Nd4j.getBackend().getClass().getName();

        static {
            log.info("KL term, Adam and noise step of float arrays: {}", usable(MODULE, NAME)
                    ? "fused SIMD kernels (jdk.incubator.vector)"
                    : !MODULE ? "ND4J ops (start the JVM with --add-modules=jdk.incubator.vector for the faster fused kernels)"
                    : "ND4J ops (the fused kernels address host memory: ND4J backend " + NAME + " is not the CPU one)");
        }
    }

    static boolean usable(boolean vectorModule, String nd4jBackend) {
        return vectorModule && CPU_BACKEND.equals(nd4jBackend);
    }

    /**
     * True if every array is float, of the same length, contiguous and exactly covering its data buffer (views into
     * a flattened parameter or gradient vector do), and - unless all are vectors - in one order, so that
     * {@link #buffer} addresses them element by element in step.
     */
    public static boolean supports(INDArray... arrays) {
        char order = arrays[0].ordering();
        boolean vectors = true;
        for (INDArray a : arrays) {
            vectors &= a.isVector();
        }
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || !vectors && a.ordering() != order || a.elementWiseStride() != 1
                    || a.length() != arrays[0].length() || a.data().length() != a.length()
                    || a.isView() && a.offset() != a.data().offset()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The tail of a kernel's arrays, for running it through the same vector code as the rest: for each buffer, a
     * zero-padded copy of its floats [from, from + count) in a scratch buffer of {@code lanes} floats (at most 16,
     * at most 4 buffers), confined to the calling thread and reused by its next call.
     */
    public static ByteBuffer[] tail(int from, int count, int lanes, ByteBuffer... buffers) {
        if (buffers.length > SCRATCH_BUFFERS || lanes > MAX_LANES || count > lanes) {
            throw new IllegalArgumentException(buffers.length + " buffers of " + lanes + " lanes, " + count
                    + " floats: more than the scratch holds");
        }
        ByteBuffer scratch = SCRATCH.get();
        ByteBuffer[] out = new ByteBuffer[buffers.length];
        for (int b = 0; b < buffers.length; b++) {
            out[b] = scratch.slice(b * MAX_LANES * Float.BYTES, lanes * Float.BYTES).order(ByteOrder.nativeOrder());
            for (int i = 0; i < lanes; i++) {
                out[b].putFloat(i * Float.BYTES, i < count ? buffers[b].getFloat((from + i) * Float.BYTES) : 0f);
            }
        }
        return out;
    }

    /** Copies the first {@code count} floats of a {@link #tail} buffer back to [from, from + count) of {@code dst}. */
    public static void untail(ByteBuffer tail, ByteBuffer dst, int from, int count) {
        for (int i = 0; i < count; i++) {
            dst.putFloat((from + i) * Float.BYTES, tail.getFloat(i * Float.BYTES));
        }
    }

    /** A native-order view of the array's memory (no copy); the array must pass {@link #supports}. */
    public static ByteBuffer buffer(INDArray a) {
        long bytes = a.length() * Float.BYTES;
        return new BytePointer(a.data().addressPointer()).capacity(bytes).limit(bytes).asByteBuffer()
                .order(ByteOrder.nativeOrder());
    }

    /**
     * The raw bits ({@link Float#floatToRawIntBits}) of a float array's elements in row-major order: read in place on
     * ND4J's CPU backend when the array passes {@link #supports}, else from a copy.
     */
    public static IntBuffer floatBits(INDArray a) {
        if (hostMemory() && supports(a)) {
            return buffer(a).asIntBuffer();
        }
        float[] values = a.dup('c').data().asFloat();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return IntBuffer.wrap(bits);
    }
}
