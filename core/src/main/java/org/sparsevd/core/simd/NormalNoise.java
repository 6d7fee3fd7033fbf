package org.sparsevd.core.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The standard normal noise ε of the Sparse VD layers' local reparameterization trick (z = μ + σ∘ε, eq. 7 of
 * Molchanov et al., 2017) on ND4J's CPU backend: a counter-based generator, so element i of a draw is a function of
 * the draw's 64-bit seed and i alone, computed the same way in every lane of a SIMD loop ({@link Lanes#normal}, which
 * {@code NoiseStepKernel} fuses with the noise step) and here, one element at a time, for the paths without the
 * Vector API: both give the same bits. Per element i of a draw with seed s (k1, k2 its low and high 32 bits):
 * <pre>
 *   h(c)  = mix(mix(c ^ k1) + k2)     mix: the "lowbias32" integer hash (C. Wellons), a bijection of 32 bits
 *   u1    = ((h(2i) &gt;&gt;&gt; 8) + 1) · 2^-24     in (0, 1]
 *   u2    = (h(2i+1) &gt;&gt;&gt; 8) · 2^-24         in [0, 1)
 *   ε_i   = sqrt(−2·log u1) · cos(2π·u2)       (Box and Muller, 1958: the cosine half)
 * </pre>
 * in float, with {@link Lanes}' log (to the bit the same here) and a cosine from a polynomial on a quarter period
 * (absolute error below 1e-7), using only operations that round the same in scalar and vector code. |ε| ≤ 5.77
 * (u1 ≥ 2^-24); the keyed hash gives every element of a draw its own pair of uniforms, and draws with other seeds
 * other pairs.
 *
 * <p>The seed of a draw comes from {@code Nd4j.getRandom()} (one {@code nextLong} per layer and forward pass), which
 * {@link org.sparsevd.core.seed.NoiseSeed} seeds per minibatch, so the noise stays a function of (run seed, epoch,
 * minibatch) and the layer's place in the network. This class uses no Vector API type, so it loads without
 * {@code jdk.incubator.vector}.
 */
public final class NormalNoise {
    static final int MIX1 = 0x7feb352d;
    static final int MIX2 = 0x846ca68b;
    /** 2^-24: a 24-bit integer times it is a float in [0, 1). */
    static final float UNIT = 0x1p-24f;
    // cos(2π·w) = Σ_k C_k·(w²)^k for w in [0, 1/4]: the Taylor coefficients (−1)^k (2π)^2k / (2k)! to k = 6 (the
    // first term left out is below 7e-9 there)
    static final float C6 = 7.9035363e0f;
    static final float C5 = -2.6426256e1f;
    static final float C4 = 6.0244640e1f;
    static final float C3 = -8.5456818e1f;
    static final float C2 = 6.4939392e1f;
    static final float C1 = -1.9739208e1f;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private NormalNoise() {
    }

    /** The low 32 bits of {@code seed}: the key XORed into every counter. */
    public static int key1(long seed) {
        return (int) seed;
    }

    /** The high 32 bits of {@code seed}: the key added between the two hash rounds. */
    public static int key2(long seed) {
        return (int) (seed >>> 32);
    }

    /** Element {@code index} (≥ 0) of the draw with {@code seed}. */
    public static float at(long seed, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("a draw's elements are numbered from 0, not " + index);
        }
        int k1 = key1(seed);
        int k2 = key2(seed);
        float u1 = ((hash(2 * index, k1, k2) >>> 8) + 1) * UNIT;
        float u2 = (hash(2 * index + 1, k1, k2) >>> 8) * UNIT;
        return (float) Math.sqrt(log(u1) * -2f) * cos2Pi(u2);
    }

    /**
     * Fills {@code noise}, a float array in host memory that {@link DirectFloats#supports}, with the draw of
     * {@code seed}: element i of its buffer is {@link #at}(seed, i).
     *
     * @throws IllegalArgumentException if the array is not one whose floats can be written in place
     */
    public static void fill(INDArray noise, long seed) {
        if (!DirectFloats.hostMemory() || !DirectFloats.supports(noise)) {
            throw new IllegalArgumentException("the noise is drawn in place into a float array in host memory, not "
                    + noise.shapeInfoToString());
        }
        ByteBuffer b = DirectFloats.buffer(noise);
        for (int i = 0, n = Math.toIntExact(noise.length()); i < n; i++) {
            b.putFloat(i * Float.BYTES, at(seed, i));
        }
    }

    /** The keyed hash of a counter: two rounds of {@link #mix} with the keys between them. */
    static int hash(int counter, int k1, int k2) {
        return mix(mix(counter ^ k1) + k2);
    }

    /** "lowbias32": x ^= x >>> 16; x *= MIX1; x ^= x >>> 15; x *= MIX2; x ^= x >>> 16. */
    static int mix(int x) {
        x = (x ^ (x >>> 16)) * MIX1;
        x = (x ^ (x >>> 15)) * MIX2;
        return x ^ (x >>> 16);
    }

    /**
     * cos(2π·u) for u in [0, 1): with a = |u − ½|, cos(2πu) = −cos(2πa), and for a > ¼ cos(2πa) = −cos(2π(½ − a));
     * so w = min(a, ½ − a) in [0, ¼] and the sign is + iff a > ¼. The polynomial in w² by Horner's rule.
     */
    static float cos2Pi(float u) {
        float a = Math.abs(u - 0.5f);
        float w = Math.min(a, 0.5f - a);
        float y = w * w;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(C6, y, C5), y, C4), y, C3), y, C2), y, C1),
                y, 1f);
        return a > 0.25f ? p : -p;
    }

    /** {@link Lanes#log} for one positive normal float: the same operations in the same order, so the same bits. */
    static float log(float x) {
        int ix = Float.floatToRawIntBits(x) + (Lanes.ONE_BITS - Lanes.SQRT_HALF_BITS);
        float k = (float) ((ix >> 23) - 127);
        float f = Float.intBitsToFloat((ix & 0x007fffff) + Lanes.SQRT_HALF_BITS) - 1f;
        float z = f * f;
        float z2 = z * z;
        float b0 = Math.fma(Math.fma(f, Lanes.L3, Lanes.L2), z, Math.fma(f, Lanes.L1, Lanes.L0));
        float b1 = Math.fma(Math.fma(f, Lanes.L7, Lanes.L6), z, Math.fma(f, Lanes.L5, Lanes.L4));
        float y = Math.fma(z2 * z2, Lanes.L8, Math.fma(b1, z2, b0)) * f * z;
        y = Math.fma(k, Lanes.LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        return Math.fma(k, Lanes.LN2_HI, f + y);
    }
}
