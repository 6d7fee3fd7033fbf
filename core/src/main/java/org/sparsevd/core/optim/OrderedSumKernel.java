package org.sparsevd.core.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sparsevd.core.simd.DirectFloats;
import org.sparsevd.core.simd.Lanes;

/**
 * The sum of several workers' gradients over a range of a network's flattened parameters, added in worker order:
 * element i of the sum is ((g0[i] + g1[i]) + g2[i]) + ..., single-precision additions, the bits of a scalar loop over
 * {@code float[]}s in the same order whatever the lane count. Loaded only when {@link DirectFloats#enabled()}.
 */
final class OrderedSumKernel {
    private static final VectorSpecies<Float> S = Lanes.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private OrderedSumKernel() {
    }

    /**
     * Sets floats [from, to) of {@code sum} to the sum of {@code addends}' in their order; {@code sum} may be one of
     * the addends.
     */
    static void sum(ByteBuffer[] addends, ByteBuffer sum, int from, int to) {
        int bound = from + S.loopBound(to - from);
        sumStage(addends, sum, from, bound);
        for (int i = bound; i < to; i++) {
            int at = i * Float.BYTES;
            float s = addends[0].getFloat(at);
            for (int a = 1; a < addends.length; a++) {
                s += addends[a].getFloat(at);
            }
            sum.putFloat(at, s);
        }
    }

    /** The vector loop over floats [from, bound), a whole number of vectors. */
    private static void sumStage(ByteBuffer[] addends, ByteBuffer sum, int from, int bound) {
        for (int i = from; i < bound; i += S.length()) {
            int at = i * Float.BYTES;
            FloatVector s = FloatVector.fromByteBuffer(S, addends[0], at, ORDER);
            for (int a = 1; a < addends.length; a++) {
                s = s.add(FloatVector.fromByteBuffer(S, addends[a], at, ORDER));
            }
            s.intoByteBuffer(sum, at, ORDER);
        }
    }
}
