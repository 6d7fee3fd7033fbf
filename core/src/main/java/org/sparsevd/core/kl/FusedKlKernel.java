package org.sparsevd.core.kl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.simd.DirectFloats;
import org.sparsevd.core.simd.Lanes;

import static org.sparsevd.core.kl.KlApproximation.K1;
import static org.sparsevd.core.kl.KlApproximation.K2;
import static org.sparsevd.core.kl.KlApproximation.K3;

/**
 * The training-path KL value and gradient of {@link SparseVdKl#addGradient} as one pass over the parameters, in
 * SIMD lanes of the JDK's Vector API (incubator module {@code jdk.incubator.vector}). The element-wise formula is
 * the same as there (eq. 14 of Molchanov et al., 2017, with α = exp(logσ²)/(W² + 1e-8) clipped to
 * [exp(min), exp(max)]):
 * <pre>
 *   s = σ(k2 + k3·log α),   KL = k1·(1 − s) + ½·log(1 + 1/α)
 *   G = coef·[α in range]·(−k1·k3·s(1 − s) − ½/(1 + α)),   gLogσ² += G,   gW += −2·G·W/(W² + 1e-8)
 * </pre>
 * evaluated from y = 1/α = (W² + 1e-8)/σ² with three divisions per element (s = 1/b and 1/(1 + α) = y/u share
 * one reciprocal of u·b, u = 1 + y, b = 1 + exp(−k2 − k3·log α)). One pass (chunk by chunk, each chunk's
 * intermediate lanes staying in the first-level cache) reads four arrays and writes two, where the ND4J formulation
 * makes some 25 passes over arrays of the parameters' size; this is most of a Sparse VD layer's extra cost over a
 * plain layer.
 *
 * <p>Bit for bit reproducible: exp and log are {@link Lanes}' (no SVML), every element goes through the same lane
 * operations (the tail too, zero-padded through {@link DirectFloats#tail}), and Σ KL is reduced in a fixed order
 * ({@link Lanes#PARTIAL_SUMS} float partial sums by index, added into one double per block of {@value #BLOCK}
 * elements, the blocks' doubles added in block order), so the result does not depend on the lane count, on the JIT,
 * on the CPU, or on how callers split the elements at block boundaries.
 *
 * <p>Only arrays that {@link DirectFloats#supports} are handled here; callers fall back to the ND4J formulation
 * otherwise, and never load this class unless {@link DirectFloats#enabled()}.
 */
public final class FusedKlKernel {
    private static final VectorSpecies<Float> S = Lanes.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /**
     * Σ KL is reduced in blocks of this many elements (a multiple of every lane count and of the chunk): each block's
     * partial sums are added into a double of its own, and the blocks' doubles in block order ({@link #sum}).
     */
    public static final int BLOCK = 4096;
    private static final float K1F = (float) K1;
    private static final float K2F = (float) K2;
    private static final float K3F = (float) K3;
    private static final float EPS = (float) LogAlpha.EPS;
    /**
     * 0, 1, 2, ... as floats, so that lane k of a vector loaded from it is k. The tail's mask of valid lanes compares
     * it with the count of valid lanes: JDK 17 does not compile {@code VectorSpecies.indexInRange} into vector
     * instructions (it builds the index vector lane by lane in Java: the top leaf of a LeNet-300-100 {@code train}
     * worker's fit in JFR's profile, 17% of its samples), a load and a compare it does.
     */
    private static final float[] LANE_INDEX = laneIndex();

    /**
     * The kernel handles log α clip ranges within [−{@value}, {@value}] (the paper clips at ±8): there
     * |k2 + k3·log α| &lt; 50 stays in {@link Lanes#expModerate}'s range and (1 + 1/α)·(1 + e^t) far below the
     * float maximum. {@link org.sparsevd.core.kl.SparseVdKl} runs the ND4J formulation for wider ranges.
     */
    public static final double CLIP_LIMIT = 32;

    private FusedKlKernel() {
    }

    /** Whether {@link #addGradient} handles this log α clip range (see {@link #CLIP_LIMIT}). */
    public static boolean supportsClip(double logAlphaMin, double logAlphaMax) {
        return logAlphaMin >= -CLIP_LIMIT && logAlphaMax <= CLIP_LIMIT;
    }

    /**
     * See {@link org.sparsevd.core.kl.SparseVdKl#addGradient}; the arrays must pass {@link DirectFloats#supports} and
     * the clip range {@link #supportsClip}. The same as {@link #addGradient(ByteBuffer, ByteBuffer, boolean,
     * ByteBuffer, ByteBuffer, int, int, double, double, double, double[])} over all elements, then {@link #sum}.
     */
    public static double addGradient(INDArray w, INDArray expLogSigma2, INDArray gradW, INDArray gradLogSigma2,
                                     double coef, double logAlphaMin, double logAlphaMax) {
        int n = Math.toIntExact(w.length());
        double[] blockSums = new double[blocks(n)];
        addGradient(DirectFloats.buffer(w), DirectFloats.buffer(expLogSigma2), false, DirectFloats.buffer(gradW),
                DirectFloats.buffer(gradLogSigma2), 0, n, coef, logAlphaMin, logAlphaMax, blockSums);
        return sum(blockSums);
    }

    /** How many blocks of {@value #BLOCK} elements Σ KL of {@code n} elements is reduced in (see {@link #sum}). */
    public static int blocks(int n) {
        return (n + BLOCK - 1) / BLOCK;
    }

    /** Σ KL from its block sums: added in block order, so however the blocks were split among callers. */
    public static double sum(double[] blockSums) {
        double kl = 0;
        for (double b : blockSums) {
            kl += b;
        }
        return kl;
    }

    /**
     * The KL term's gradient and value for elements [from, to) of one layer's parameters: adds {@code coef · dKL/dW}
     * to {@code gradW} and {@code coef · dKL/dlogσ²} to {@code gradLogSigma2} there, and sets the sums of KL of the
     * blocks of {@value #BLOCK} elements it covers ({@code blockSums[from / BLOCK]} up to that of element
     * {@code to - 1}). The buffers are whole arrays of floats ({@link DirectFloats#buffer}). A block's sum depends
     * on its elements alone, so callers that split a layer's elements at multiples of {@value #BLOCK} (workers
     * sharing a step) get, with {@link #sum}, the bits of one call over all of them.
     *
     * @param sigma2    exp(logσ²) as the forward pass computed it, or logσ² itself if {@code isLog} (its exp is
     *                  then computed here with the forward pass's {@link Lanes#exp}: the same bits)
     * @param from      a multiple of {@value #BLOCK}
     * @param blockSums of at least {@link #blocks}(to) elements
     */
    public static void addGradient(ByteBuffer w, ByteBuffer sigma2, boolean isLog, ByteBuffer gradW,
                                   ByteBuffer gradLogSigma2, int from, int to, double coef, double logAlphaMin,
                                   double logAlphaMax, double[] blockSums) {
        if (!supportsClip(logAlphaMin, logAlphaMax)) {
            throw new IllegalArgumentException("log alpha clip range [" + logAlphaMin + ", " + logAlphaMax
                    + "] exceeds the kernel's ±" + CLIP_LIMIT);
        }
        if (from < 0 || from % BLOCK != 0 || to < from || blockSums.length < blocks(to)) {
            throw new IllegalArgumentException("elements [" + from + ", " + to + ") with " + blockSums.length
                    + " block sums: the range must start at a multiple of " + BLOCK + " and the sums cover it");
        }
        float yMin = (float) Math.exp(-logAlphaMax);
        float yMax = (float) Math.exp(-logAlphaMin);
        float c = (float) coef;
        float[] partial = new float[Lanes.PARTIAL_SUMS];
        java.util.Arrays.fill(blockSums, from / BLOCK, blocks(to), 0.0);
        Chunk chunk = new Chunk(isLog);
        int bound = from + S.loopBound(to - from);
        addGradient(slice(w, from, bound), slice(sigma2, from, bound), slice(gradW, from, bound),
                slice(gradLogSigma2, from, bound), from, bound - from, bound - from, c, yMin, yMax, partial, blockSums,
                chunk);
        if (bound < to) {
            ByteBuffer[] t = DirectFloats.tail(bound, to - bound, S.length(), w, sigma2, gradW, gradLogSigma2);
            addGradient(t[0], t[1], t[2], t[3], bound, S.length(), to - bound, c, yMin, yMax, partial, blockSums,
                    chunk);
            DirectFloats.untail(t[2], gradW, bound, to - bound);
            DirectFloats.untail(t[3], gradLogSigma2, bound, to - bound);
        }
        if (to > from) {
            flush(partial, blockSums, (to - 1) / BLOCK);
        }
    }

    /** Floats [from, to) of {@code b}, as a buffer of their own (index 0 = element {@code from}). */
    private static ByteBuffer slice(ByteBuffer b, int from, int to) {
        return b.slice(from * Float.BYTES, (to - from) * Float.BYTES).order(ORDER);
    }

    /**
     * The vector loop over {@code length} floats (a multiple of the lane count) of the buffers, whose first
     * element is element {@code first} of the arrays; only the first {@code valid} count towards Σ KL.
     *
     * <p>It runs in chunks of {@value #CHUNK} elements, each in three stages that pass their lanes on through small
     * float arrays (exact: a float stored and loaded is the same float): C2 inlines a method that takes or returns
     * vectors only while the compilation stays under its node budget, and the whole formula in one loop exceeded it
     * (the second log and the exp were called, not inlined, so every vector between them was boxed on the heap,
     * several times slower). Each stage has at most one exp or log. Every vector loop of the kernels is a method
     * named {@code *Stage}, which the JVM options of {@link Lanes} keep from being inlined into its callers.
     */
    private static void addGradient(ByteBuffer bw, ByteBuffer bs, ByteBuffer bgw, ByteBuffer bgl, int first,
                                    int length, int valid, float c, float yMin, float yMax, float[] partial,
                                    double[] blockSums, Chunk chunk) {
        for (int from = 0; from < length; from += CHUNK) {
            int to = Math.min(length, from + CHUNK);
            if (chunk.exp != null) {
                expStage(bs, from, chunk.exp, to - from);
                alphaStage(bw, chunk.exp, from, from, to, yMin, yMax, chunk);
            } else {
                alphaStage(bw, bs, 0, from, to, yMin, yMax, chunk);
            }
            sigmoidStage(from, to, chunk);
            klStage(bw, bgw, bgl, first, from, to, valid, c, chunk, partial);
            if (((first + to) & (BLOCK - 1)) == 0) {
                flush(partial, blockSums, (first + to) / BLOCK - 1);
            }
        }
    }

    /** Elements per chunk of {@link #addGradient}: a multiple of every lane count, dividing {@link #BLOCK}. */
    private static final int CHUNK = 512;

    /** The lanes one chunk's stages hand on, index 0 being the chunk's first element. */
    private static final class Chunk {
        /** exp(logσ²) of the chunk, when the caller passes logσ² (else null: it passes exp(logσ²)). */
        final ByteBuffer exp;
        /** y = 1/α clipped to [1/α_max, 1/α_min]. */
        final float[] y = new float[CHUNK];
        /** −log α = log y. */
        final float[] logY = new float[CHUNK];
        /** 1 where α is inside the clip range (where the gradient flows), else 0. */
        final float[] gate = new float[CHUNK];
        /** b = 1 + exp(−k2 − k3·log α), s = 1/b. */
        final float[] b = new float[CHUNK];
        /** 1/(u·b), u = 1 + y. */
        final float[] inv = new float[CHUNK];

        Chunk(boolean isLog) {
            exp = isLog ? ByteBuffer.allocateDirect(CHUNK * Float.BYTES).order(ORDER) : null;
        }
    }

    /** y = 1/α = (W² + ε)/σ², its clip-range gate, log y; element i of {@code bw} is element i - eFirst of {@code be}. */
    private static void alphaStage(ByteBuffer bw, ByteBuffer be, int eFirst, int from, int to, float yMin, float yMax,
                                   Chunk chunk) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = from; i < to; i += S.length()) {
            int off = i * Float.BYTES;
            int j = i - from;
            FloatVector wv = FloatVector.fromByteBuffer(S, bw, off, ORDER);
            FloatVector ev = FloatVector.fromByteBuffer(S, be, (i - eFirst) * Float.BYTES, ORDER);
            // everything below follows from y = 1/α and two divisions, so that the kernel makes three divisions
            // instead of five (they dominate on CPUs that split 256-bit division)
            FloatVector y = wv.mul(wv).add(EPS).div(ev);                          // the tail's ev = 0: +∞, clipped
            VectorMask<Float> inRange = y.compare(VectorOperators.GT, yMin)
                    .and(y.compare(VectorOperators.LT, yMax));
            y = y.max(yMin).min(yMax);
            y.intoArray(chunk.y, j);
            zero.blend(1f, inRange).intoArray(chunk.gate, j);
            Lanes.log(y).intoArray(chunk.logY, j);                              // −log α
        }
    }

    /** b = 1 + exp(−(k2 + k3·log α)) and 1/(u·b). */
    private static void sigmoidStage(int from, int to, Chunk chunk) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < to - from; j += S.length()) {
            FloatVector y = FloatVector.fromArray(S, chunk.y, j);
            FloatVector t = FloatVector.fromArray(S, chunk.logY, j).fma(K3F, -K2F);
            FloatVector b = Lanes.expModerate(t).add(1f);                        // |t| < 50
            b.intoArray(chunk.b, j);
            one.div(y.add(1f).mul(b)).intoArray(chunk.inv, j);
        }
    }

    /** KL (into the partial sums) and the gradients. */
    private static void klStage(ByteBuffer bw, ByteBuffer bgw, ByteBuffer bgl, int first, int from, int to, int valid,
                                float c, Chunk chunk, float[] partial) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int lanes = S.length();
        for (int i = from; i < to; i += lanes) {
            int off = i * Float.BYTES;
            int j = i - from;
            FloatVector y = FloatVector.fromArray(S, chunk.y, j);
            FloatVector b = FloatVector.fromArray(S, chunk.b, j);
            FloatVector inv = FloatVector.fromArray(S, chunk.inv, j);
            FloatVector u = y.add(1f);                                            // 1 + 1/α
            FloatVector s = u.mul(inv);                                           // σ(k2 + k3·log α) = 1/b
            FloatVector oneMinusS = one.sub(s);
            FloatVector q = y.mul(b).mul(inv);                                    // 1/(1 + α) = y/u
            // log(1 + y) as log(u) + e/u: e the rounding error of u = 1 + y (Fast2Sum, exact), 1/u = 1 − q
            FloatVector e = y.min(1f).sub(u.sub(y.max(1f)));
            FloatVector softplus = e.fma(one.sub(q), Lanes.log(u));
            FloatVector kl = oneMinusS.mul(K1F).add(softplus.mul(0.5f));
            if (i + lanes > valid) {
                VectorMask<Float> unpadded = FloatVector.fromArray(S, LANE_INDEX, 0)
                        .compare(VectorOperators.LT, (float) (valid - i));        // lane k: i + k < valid
                kl = zero.blend(kl, unpadded);                                    // zero padding of the tail
            }
            int slot = (first + i) & (Lanes.PARTIAL_SUMS - 1);
            FloatVector.fromArray(S, partial, slot).add(kl).intoArray(partial, slot);
            FloatVector g = s.mul(oneMinusS).mul(-K1F * K3F).sub(q.mul(0.5f)).mul(c);
            g = zero.blend(g, FloatVector.fromArray(S, chunk.gate, j).compare(VectorOperators.EQ, 1f));
            FloatVector.fromByteBuffer(S, bgl, off, ORDER).add(g).intoByteBuffer(bgl, off, ORDER);
            FloatVector wv = FloatVector.fromByteBuffer(S, bw, off, ORDER);
            FloatVector r = wv.mul(wv).add(EPS);                                  // W² + ε
            FloatVector.fromByteBuffer(S, bgw, off, ORDER).add(g.mul(wv).div(r).mul(-2f))
                    .intoByteBuffer(bgw, off, ORDER);
        }
    }

    private static float[] laneIndex() {
        float[] index = new float[DirectFloats.MAX_LANES];
        for (int k = 0; k < index.length; k++) {
            index[k] = k;
        }
        return index;
    }

    /** Adds the partial sums, in lane order, to the sum of block {@code block}, and zeroes them. */
    private static void flush(float[] partial, double[] blockSums, int block) {
        double sum = 0;
        for (int j = 0; j < partial.length; j++) {
            sum += partial[j];
            partial[j] = 0;
        }
        blockSums[block] += sum;
    }

    /**
     * dst ← exp(src) element-wise with {@link Lanes#exp} (the forward pass's exp(logσ²)); the arrays must pass
     * {@link DirectFloats#supports}.
     */
    public static void exp(INDArray src, INDArray dst) {
        int n = Math.toIntExact(src.length());
        ByteBuffer bs = DirectFloats.buffer(src);
        ByteBuffer bd = DirectFloats.buffer(dst);
        int bound = S.loopBound(n);
        expStage(bs, 0, bd, bound);
        if (bound < n) {
            ByteBuffer[] t = DirectFloats.tail(bound, n - bound, S.length(), bs, bd);
            expStage(t[0], 0, t[1], S.length());
            DirectFloats.untail(t[1], bd, bound, n - bound);
        }
    }

    /**
     * The vector loop of {@link #exp(INDArray, INDArray)}: floats [from, from + length) of {@code src} to [0, length)
     * of {@code dst}; {@code length} a multiple of the lane count.
     */
    private static void expStage(ByteBuffer src, int from, ByteBuffer dst, int length) {
        for (int i = 0; i < length; i += S.length()) {
            int off = i * Float.BYTES;
            Lanes.exp(FloatVector.fromByteBuffer(S, src, off + from * Float.BYTES, ORDER)).intoByteBuffer(dst, off,
                    ORDER);
        }
    }
}
