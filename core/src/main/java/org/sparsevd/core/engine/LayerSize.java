package org.sparsevd.core.engine;

/**
 * One weighted layer's size at each stage of Deep Compression (Han et al. 2016, Table 1's columns), in bytes of its
 * weights and their positions (biases, float32 at every stage, not included):
 *
 * @param name           the layer
 * @param weights        all weights of the layer
 * @param kept           the weights kept (log α &lt; threshold)
 * @param denseBytes     the dense float32 weights: 4 · weights
 * @param sparseBytes    pruned, as float32 values with 32-bit indices (CSR-like): 8 · kept
 * @param quantizedBytes pruned and quantized, with fixed-width codes: every centroid index in value-bits bits, every
 *                       gap symbol in the bits its alphabet needs, plus the float32 codebook (float32 values and
 *                       fixed-width gaps without quantization)
 * @param codedBytes     as stored in the file: Huffman-coded gaps and centroid indices with their code tables, the
 *                       codebook, and the section's counts
 */
public record LayerSize(String name, long weights, long kept, long denseBytes, long sparseBytes, long quantizedBytes,
                        long codedBytes) {
    /** Bits of the coded form per kept weight. */
    public double bitsPerKept() {
        return kept == 0 ? 0 : 8.0 * codedBytes / kept;
    }
}
