package org.sparsevd.core.seed;

import java.nio.IntBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.simd.DirectFloats;

/**
 * Seeds of the SparseVD noise per minibatch, derived from the run seed, the epoch and the minibatch's content,
 * so that the noise of a minibatch is the same whichever executor (or the single-JVM trainer) processes it.
 *
 * <p>The content hash covers shape, data type and every value of the features, labels and (if present) masks,
 * read as the arrays' own values (float or double; other types as double; the float arrays of ND4J's CPU backend in
 * place, without a copy). It is a fast non-cryptographic 64-bit hash (one multiply-rotate step per value, then a
 * SplitMix64 finalizer): a few tens of microseconds for an MNIST minibatch of 100. Identical minibatches in the same
 * epoch get identical seeds, by design.
 */
public final class NoiseSeed {

    private static final long P1 = 0x9E3779B97F4A7C15L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;

    private NoiseSeed() {
    }

    /** The seed for one minibatch. Deterministic across JVMs and machines. */
    public static long forBatch(long runSeed, int epoch, DataSet batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        long h = Seeds.mix64(runSeed ^ P1);
        h = Seeds.mix64(h ^ (epoch * P2 + 0x632BE59BD9B4E019L));
        h = Seeds.mix64(h ^ hash(batch.getFeatures(), 1));
        h = Seeds.mix64(h ^ hash(batch.getLabels(), 2));
        h = Seeds.mix64(h ^ hash(batch.getFeaturesMaskArray(), 3));
        h = Seeds.mix64(h ^ hash(batch.getLabelsMaskArray(), 4));
        return h;
    }

    /**
     * Seeds {@code Nd4j.getRandom()}, from which the SparseVD layers take the seeds of their noise draws, for one
     * minibatch.
     */
    public static void apply(long runSeed, int epoch, DataSet batch) {
        Nd4j.getRandom().setSeed(forBatch(runSeed, epoch, batch));
    }

    /** Content hash of an array (0-ish constant for null), independent of its ordering and of view offsets. */
    static long hash(INDArray arr, int salt) {
        long h = P2 * salt;
        if (arr == null) {
            return Seeds.mix64(h);
        }
        for (long d : arr.shape()) {
            h = step(h, d);
        }
        INDArray c = arr;
        if (c.isView() || c.ordering() != 'c' || c.data().length() != c.length() || c.offset() != 0) {
            c = c.dup('c');
        }
        DataType t = c.dataType();
        if (t == DataType.FLOAT || t == DataType.HALF || t == DataType.BFLOAT16) {
            h = step(h, 1);
            IntBuffer bits = DirectFloats.floatBits(t == DataType.FLOAT ? c : c.castTo(DataType.FLOAT));
            for (int i = 0, n = bits.limit(); i < n; i++) {
                h = step(h, bits.get(i));
            }
        } else {
            h = step(h, 2);
            double[] v = (t == DataType.DOUBLE ? c : c.castTo(DataType.DOUBLE)).data().asDouble();
            for (double d : v) {
                h = step(h, Double.doubleToRawLongBits(d));
            }
        }
        return Seeds.mix64(h);
    }

    private static long step(long h, long v) {
        return Long.rotateLeft(h ^ (v * P1), 29) * P2;
    }
}
