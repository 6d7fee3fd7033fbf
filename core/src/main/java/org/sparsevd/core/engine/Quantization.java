package org.sparsevd.core.engine;

/**
 * How an export codes weight values: shared by k-means with 2^bits centroids per layer (Deep Compression's weight
 * sharing; {@code denseBits} for fully connected, {@code convBits} for convolution layers), or kept as float32.
 *
 * @param enabled   false: float32 values ({@code --no-quantize})
 * @param denseBits bits of a fully connected layer's centroid index, in [1, 16]
 * @param convBits  bits of a convolution layer's centroid index, in [1, 16]
 */
public record Quantization(boolean enabled, int denseBits, int convBits) {
    /** Deep Compression's choice for LeNet (Han et al. 2016, Table 2): 5 bits for fully connected, 8 for conv. */
    public static final int DEFAULT_DENSE_BITS = 5;
    public static final int DEFAULT_CONV_BITS = 8;
    public static final int MAX_BITS = 16;

    public Quantization {
        check("dense", denseBits);
        check("conv", convBits);
    }

    /** The defaults: quantized, 5 bits dense, 8 bits conv. */
    public static Quantization defaults() {
        return new Quantization(true, DEFAULT_DENSE_BITS, DEFAULT_CONV_BITS);
    }

    /** float32 values. */
    public static Quantization none() {
        return new Quantization(false, DEFAULT_DENSE_BITS, DEFAULT_CONV_BITS);
    }

    private static void check(String what, int bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException("bits of " + what + " layers must be in 1.." + MAX_BITS + ", got "
                    + bits);
        }
    }
}
