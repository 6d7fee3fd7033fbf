package org.sparsevd.core.compress;

import java.util.Objects;

/** Reads bits most significant first from a byte array; reading past its end is a {@link CorruptCodeException}. */
public final class BitReader {
    private final byte[] bytes;
    private final long limit;
    private long position;

    public BitReader(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.limit = (long) bytes.length * 8;
    }

    /** The next bit, 0 or 1. */
    public int bit() {
        if (position >= limit) {
            throw new CorruptCodeException("the bit stream ends early (" + bytes.length + " bytes)");
        }
        int b = (bytes[(int) (position >>> 3)] >>> (7 - (position & 7))) & 1;
        position++;
        return b;
    }

    /** The next {@code count} bits as an unsigned number, most significant first; {@code count} in [0, 31]. */
    public int bits(int count) {
        int v = 0;
        for (int i = 0; i < count; i++) {
            v = (v << 1) | bit();
        }
        return v;
    }
}
