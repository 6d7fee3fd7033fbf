package org.sparsevd.job.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One worker's gradient for one all-reduce step, as the text {@code BarrierTaskContext.allGather} exchanges: the
 * number of examples it was computed on and the raw float bits of the flattened gradient (little-endian), one byte
 * per character in ISO-8859-1, which a Java string stores as those bytes (no encoding work, unlike Base64). A worker
 * without examples in a step (its block ran out before the others') sends only the count 0. {@link #sum} adds the
 * gradients in worker order, so that every worker gets the same bits.
 */
final class GradientMessage {
    private static final int COUNT_BYTES = Integer.BYTES;

    private GradientMessage() {
    }

    /** The message of a worker whose share of the step had {@code examples} examples and gave {@code gradient}. */
    static String encode(int examples, INDArray gradient) {
        if (examples == 0) {
            return new String(new byte[COUNT_BYTES], StandardCharsets.ISO_8859_1);
        }
        float[] values = gradient.toFloatVector();
        ByteBuffer bytes = ByteBuffer.allocate(COUNT_BYTES + Float.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(examples);
        bytes.asFloatBuffer().put(values);
        return new String(bytes.array(), StandardCharsets.ISO_8859_1);
    }

    /**
     * Sets {@code total} to the sum of the gradients in {@code messages}, added in array order (the worker order of
     * {@code allGather}: element i is (((g0 + g1) + g2) + ...) in float arithmetic), and returns the number of
     * examples they were computed on.
     */
    static int sum(String[] messages, float[] total) {
        java.util.Arrays.fill(total, 0f);
        float[] g = new float[total.length];
        int examples = 0;
        boolean first = true;
        for (String message : messages) {
            ByteBuffer bytes = ByteBuffer.wrap(message.getBytes(StandardCharsets.ISO_8859_1)).order(ByteOrder.LITTLE_ENDIAN);
            int n = bytes.getInt();
            if (n == 0) {
                continue;
            }
            FloatBuffer floats = bytes.asFloatBuffer();
            if (floats.remaining() != total.length) {
                throw new IllegalStateException("a gradient of " + floats.remaining() + " values for a network of "
                        + total.length + " parameters");
            }
            examples += n;
            if (first) {
                floats.get(total);
                first = false;
            } else {
                floats.get(g);
                for (int i = 0; i < total.length; i++) {
                    total[i] += g[i];
                }
            }
        }
        return examples;
    }

    /**
     * At most the bytes of one worker's message for a network of {@code params} parameters once serialized for
     * Spark's RPC (Java serialization writes a string as modified UTF-8: at most 2 bytes per character here).
     */
    static long length(long params) {
        return 2 * (COUNT_BYTES + (long) Float.BYTES * params);
    }
}
