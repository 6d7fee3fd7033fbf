package org.sparsevd.core.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct access to the native memory of float ND4J arrays, for the fused SIMD kernels ({@code jdk.incubator.vector})
 * that replace chains of ND4J element-wise ops on training's hot path. This class itself uses no incubator API:
 * {@link #ENABLED} tells whether the kernels may be loaded at all.
 */
public final class DirectFloats {
    private static final Logger log = LoggerFactory.getLogger(DirectFloats.class);

    /**
     * Whether the fused SIMD kernels run: when the JVM was started with {@code --add-modules jdk.incubator.vector}
     * (the launchers and tests do), unless the system property {@code sparsevd.simd=false} turns them off. Without
     * them the same numbers come from ND4J ops, more slowly.
     */
    public static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("sparsevd.simd"));

    static {
        log.info("KL term and Adam of float parameters: {}", ENABLED
                ? "fused SIMD kernels (jdk.incubator.vector)"
                : "ND4J ops (start the JVM with --add-modules=jdk.incubator.vector for the faster fused kernels)");
    }

    private DirectFloats() {
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

    /** A native-order view of the array's memory (no copy); the array must pass {@link #supports}. */
    public static ByteBuffer buffer(INDArray a) {
        long bytes = a.length() * Float.BYTES;
        return new BytePointer(a.data().addressPointer()).capacity(bytes).limit(bytes).asByteBuffer()
                .order(ByteOrder.nativeOrder());
    }
}
