package org.sparsevd.core.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shape of the fused SIMD kernels and the transcendental functions they need, written so that every
 * lane gives the same bits whatever the lane count, whether the JIT has compiled the loop or not, and on any x86
 * CPU: only mul, add, fma, div, sqrt, compares, blends and integer bit operations, which the Vector API computes
 * with IEEE 754 rounding in its intrinsics and in its Java fallback alike. The JDK's own {@code EXP}/{@code LOG}
 * lanes are not used: they run Intel SVML code once C2 compiles a loop and {@code Math.exp} before, which differ in
 * the last bit. Loaded only when {@link DirectFloats#enabled()}.
 *
 * <p>Fast only where C2 inlines these methods into a kernel's loop: a vector that crosses a call is boxed, and a
 * method compiled on its own, whose vectors' shape C2 does not know, runs the Vector API's Java fallbacks
 * ({@code AbstractVector.convert0} for every reinterpretation), many times slower. Whether C2 inlines depends on
 * the order in which it compiles the kernels and their callers: in one {@code train} run it compiled the forward
 * pass's exp(log σ²) loop into a caller, ran out of its node budget there and left {@link #powerOfTwo} a call, and
 * that exp then took over half of the workers' time. {@link #JIT_OPTIONS} makes it deterministic.
 */
public final class Lanes {
    /**
     * The JVM options every sparsevd JVM runs with (part of {@code SPARSEVD_JAVA_TUNING} in
     * {@code deploy/conf/java-opens.sh}, which a test keeps equal): C2 always inlines the methods of this class, and
     * never inlines a kernel's vector loop (every one is a method named {@code *Stage} in {@code org.sparsevd.core})
     * into its caller, so each loop is a compilation of its own with its lane operations inlined. {@code quiet} keeps
     * the JVM from printing the commands on standard output. Without them the numbers are the same, the speed a
     * matter of the JIT's order.
     */
    public static final String JIT_OPTIONS = "-XX:CompileCommand=quiet -XX:CompileCommand=inline,"
            + "org.sparsevd.core.simd.Lanes::* -XX:CompileCommand=dontinline,org.sparsevd.core.*::*Stage";
    /**
     * System property choosing the vector width: {@code preferred} (the default: 256 bits on AVX2, 512 on AVX-512),
     * {@code 256} or {@code 512}. The kernels give the same bits with either; forcing one lets a test compare them
     * on one machine. A width the CPU lacks runs (slowly) in the Vector API's Java fallback.
     */
    public static final String SPECIES_PROPERTY = "sparsevd.simd.species";
    /** The float species of every kernel (see {@link #SPECIES_PROPERTY}). */
    public static final VectorSpecies<Float> FLOATS = species(System.getProperty(SPECIES_PROPERTY, "preferred"));
    /**
     * How many partial sums a kernel reduction keeps: the lane count of the widest species, so that partial sum j
     * adds the elements of index ≡ j (mod 16) in index order, whatever {@link #FLOATS} is.
     */
    public static final int PARTIAL_SUMS = DirectFloats.MAX_LANES;

    // exp: x = n·ln2 + r, |r| ≤ ln2/2 (Cody-Waite split of ln2); e^r by the minimax polynomial of the Cephes
    // library's expf (S. L. Moshier); 2^n put into the exponent bits in two halves so that results down to the
    // smallest subnormal are right and 2^128·(e^r < 1) still fits.
    private static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it to |v| < 2^22 rounds v to an integer held in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float EXP_MIN = -104f; // below: 0 (e^-104 < half the smallest subnormal)
    private static final float EXP_MAX = 89f;   // above: +∞ (e^89 > Float.MAX_VALUE)
    /** The range of {@link #expModerate}: n = round(x·log2 e) stays in [−126, 126]. */
    public static final float EXP_MODERATE_BOUND = 87f;
    private static final float E5 = 1.9875691500e-4f;
    private static final float E4 = 1.3981999507e-3f;
    private static final float E3 = 8.3334519073e-3f;
    private static final float E2 = 4.1665795894e-2f;
    private static final float E1 = 1.6666665459e-1f;
    private static final float E0 = 5.0000001201e-1f;
    // log: x = 2^k·m, m in [√½, √2) by integer offsets on the bits; log(m) = f − f²/2 + f³·P(f), f = m − 1, with
    // the minimax polynomial of Cephes' logf.
    static final int SQRT_HALF_BITS = 0x3f3504f3;
    static final int ONE_BITS = 0x3f800000;
    static final float L8 = 7.0376836292e-2f;
    static final float L7 = -1.1514610310e-1f;
    static final float L6 = 1.1676998740e-1f;
    static final float L5 = -1.2420140846e-1f;
    static final float L4 = 1.4249322787e-1f;
    static final float L3 = -1.6668057665e-1f;
    static final float L2 = 2.0000714765e-1f;
    static final float L1 = -2.4999993993e-1f;
    static final float L0 = 3.3333331174e-1f;

    private Lanes() {
    }

    static VectorSpecies<Float> species(String name) {
        return switch (name) {
            case "preferred" -> FloatVector.SPECIES_PREFERRED;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("system property " + SPECIES_PROPERTY
                    + " must be preferred, 256 or 512, got '" + name + "'");
        };
    }

    /**
     * e^x lane by lane, within 1 ulp of the exact value (a test checks 2^20 points of [−104, 89]: worst 0.99 ulp),
     * subnormal results included; 0 below −104, +∞ above 88.72, NaN for NaN.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector shifted = xc.fma(LOG2E, ROUND);                      // ROUND + n, n = round(x·log2 e)
        IntVector n = shifted.reinterpretAsInts().sub(ROUND_BITS);
        IntVector half = n.lanewise(VectorOperators.ASHR, 1);           // 2^n in two halves: n may be ±150
        return expOfRemainder(xc, shifted).mul(powerOfTwo(half)).mul(powerOfTwo(n.sub(half)));
    }

    /**
     * {@link #exp} for |x| ≤ {@value #EXP_MODERATE_BOUND}, where 2^n is one normal float: no clamping and one
     * scaling, the same bits as {@link #exp} (multiplying by 2^a·2^b or by 2^(a+b) rounds once either way);
     * unspecified outside.
     */
    public static FloatVector expModerate(FloatVector x) {
        FloatVector shifted = x.fma(LOG2E, ROUND);
        return expOfRemainder(x, shifted).mul(powerOfTwo(shifted.reinterpretAsInts().sub(ROUND_BITS)));
    }

    /** e^r for r = x − n·ln2, given {@code shifted} = ROUND + n. */
    private static FloatVector expOfRemainder(FloatVector x, FloatVector shifted) {
        FloatVector n = shifted.sub(ROUND);
        FloatVector r = n.fma(x.broadcast(-LN2_HI), x);
        r = n.fma(r.broadcast(-LN2_LO), r);
        // the polynomial by Estrin's scheme (short dependency chains), written out
        FloatVector r2 = r.mul(r);
        FloatVector p = r.fma(E5, E4).fma(r2, r.fma(E3, E2)).fma(r2, r.fma(E1, E0));
        return p.fma(r2, r).add(1f);
    }

    /** 2^n as floats, for −126 ≤ n ≤ 127. */
    private static FloatVector powerOfTwo(IntVector n) {
        return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /**
     * Element {@code index} of each lane of the normal noise draw with keys {@code k1}, {@code k2}
     * ({@link NormalNoise}'s generator): the same operations in the same order, so the same bits as
     * {@link NormalNoise#at} (indices ≥ 0).
     */
    public static FloatVector normal(IntVector index, int k1, int k2) {
        IntVector counter = index.lanewise(VectorOperators.LSHL, 1);
        FloatVector u1 = ((FloatVector) hash(counter, k1, k2).lanewise(VectorOperators.LSHR, 8).add(1)
                .convert(VectorOperators.I2F, 0)).mul(NormalNoise.UNIT);
        FloatVector u2 = ((FloatVector) hash(counter.add(1), k1, k2).lanewise(VectorOperators.LSHR, 8)
                .convert(VectorOperators.I2F, 0)).mul(NormalNoise.UNIT);
        return log(u1).mul(-2f).sqrt().mul(cos2Pi(u2));
    }

    /** {@link NormalNoise#hash} lane by lane. */
    private static IntVector hash(IntVector counter, int k1, int k2) {
        return mix(mix(counter.lanewise(VectorOperators.XOR, k1)).add(k2));
    }

    /** {@link NormalNoise#mix} lane by lane. */
    private static IntVector mix(IntVector x) {
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16)).mul(NormalNoise.MIX1);
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15)).mul(NormalNoise.MIX2);
        return x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
    }

    /** {@link NormalNoise#cos2Pi} lane by lane, for u in [0, 1). */
    private static FloatVector cos2Pi(FloatVector u) {
        FloatVector a = u.sub(0.5f).abs();
        FloatVector w = a.min(a.broadcast(0.5f).sub(a));
        FloatVector y = w.mul(w);
        FloatVector p = y.fma(NormalNoise.C6, NormalNoise.C5).fma(y, y.broadcast(NormalNoise.C4))
                .fma(y, y.broadcast(NormalNoise.C3)).fma(y, y.broadcast(NormalNoise.C2))
                .fma(y, y.broadcast(NormalNoise.C1)).fma(y, y.broadcast(1f));
        return p.blend(p.neg(), a.compare(VectorOperators.LE, 0.25f));
    }

    /**
     * The natural logarithm lane by lane for positive normal x (≥ {@code Float.MIN_NORMAL}, finite), within 1 ulp of
     * the exact value (a test checks 2^20 points spread over all of them and 2^20 next to 1: worst 0.74 ulp); other
     * inputs give unspecified values.
     */
    public static FloatVector log(FloatVector x) {
        IntVector ix = x.reinterpretAsInts().add(ONE_BITS - SQRT_HALF_BITS);
        FloatVector k = (FloatVector) ix.lanewise(VectorOperators.ASHR, 23).sub(127)
                .convert(VectorOperators.I2F, 0);
        FloatVector f = ix.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
        FloatVector z = f.mul(f);
        FloatVector z2 = z.mul(z);
        // Σ L_i·f^i (i = 0..8) by Estrin's scheme (short dependency chains)
        FloatVector b0 = f.fma(L3, L2).fma(z, f.fma(L1, L0));
        FloatVector b1 = f.fma(L7, L6).fma(z, f.fma(L5, L4));
        FloatVector y = z2.mul(z2).fma(f.broadcast(L8), b1.fma(z2, b0)).mul(f).mul(z);
        y = k.fma(y.broadcast(LN2_LO), y);
        y = z.fma(y.broadcast(-0.5f), y);
        return k.fma(f.broadcast(LN2_HI), f.add(y));
    }
}
