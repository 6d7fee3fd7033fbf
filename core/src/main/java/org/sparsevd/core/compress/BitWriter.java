package org.sparsevd.core.compress;

import java.util.Arrays;

/** Writes bits most significant first into a growing byte array; the last byte is padded with zeros. */
public final class BitWriter {
    private byte[] bytes = new byte[64];
    private long bits;

    /** Appends the {@code count} low bits of {@code value}, most significant first; {@code count} in [0, 32]. */
    public void write(int value, int count) {
        if (count < 0 || count > 32) {
            throw new IllegalArgumentException("bit count must be in [0, 32], got " + count);
        }
        for (int i = count - 1; i >= 0; i--) {
            int byteIndex = (int) (bits >>> 3);
            if (byteIndex == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            if (((value >>> i) & 1) != 0) {
                bytes[byteIndex] |= (byte) (0x80 >>> (bits & 7));
            }
            bits++;
        }
    }

    /** The bits written so far. */
    public long bitCount() {
        return bits;
    }

    /** The bytes written so far, the last one zero-padded. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, (int) ((bits + 7) >>> 3));
    }
}
