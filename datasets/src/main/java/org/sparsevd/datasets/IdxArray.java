package org.sparsevd.datasets;

import java.util.Arrays;
import java.util.Objects;

/**
 * The content of one unsigned-byte IDX file: its dimensions and its values in row-major order. Immutable; the data
 * array is handed over by the reader and never exposed outside the package.
 */
public final class IdxArray {

    private final String source;
    private final int[] dimensions;
    private final byte[] data;

    /**
     * @param source     the file it was read from
     * @param dimensions the dimensions from the header, each positive; at least one
     * @param data       exactly the product of the dimensions values
     */
    IdxArray(String source, int[] dimensions, byte[] data) {
        this.source = Objects.requireNonNull(source, "source");
        this.dimensions = Objects.requireNonNull(dimensions, "dimensions").clone();
        this.data = Objects.requireNonNull(data, "data");
        if (dimensions.length == 0) {
            throw new IllegalArgumentException("at least one dimension is required");
        }
        long product = 1;
        for (int d : dimensions) {
            if (d < 1) {
                throw new IllegalArgumentException("dimensions must be positive, got " + Arrays.toString(dimensions));
            }
            product *= d;
        }
        if (product != data.length) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dimensions) + " need " + product
                    + " values but data has " + data.length);
        }
    }

    /** @return the file it was read from */
    public String source() {
        return source;
    }

    /** @return the number of items: the first dimension */
    public int count() {
        return dimensions[0];
    }

    /** @return the dimensions from the header, the first being the number of items */
    public int[] dimensions() {
        return dimensions.clone();
    }

    /** @return the values, row-major; shared, must not be modified */
    byte[] data() {
        return data;
    }
}
