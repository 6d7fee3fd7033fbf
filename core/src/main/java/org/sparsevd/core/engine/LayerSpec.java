package org.sparsevd.core.engine;

import java.util.Objects;

/**
 * One layer of an exported network, as the model file describes it and the engine runs it. Weighted layers hold only
 * their kept weights: {@code positions} (ascending) index the layer's weight array in the order documented on each
 * record, {@code values} are the weights at those positions (after quantization, the shared centroid values).
 * Records check their own consistency; arrays are not copied (the exporter and the reader hand them over).
 */
public sealed interface LayerSpec {

    /** The layer's name (as in the DL4J network it came from). */
    String name();

    /** The shape of one example's input. */
    Shape in();

    /** The shape of one example's output. */
    Shape out();

    /**
     * A fully connected layer {@code y = act(x · W + b)}, W of shape [inputs, outputs]; a kept weight W[i, j] has
     * position {@code i · outputs + j}.
     */
    record Dense(String name, Shape in, int outputs, boolean relu, int[] positions, float[] values, float[] bias)
            implements LayerSpec {
        public Dense {
            Objects.requireNonNull(name, "name");
            checkWeights(name, positions, values, (long) in.size() * outputs);
            checkBias(name, bias, outputs);
        }

        @Override
        public Shape out() {
            return Shape.flat(outputs);
        }
    }

    /**
     * A 2-D convolution (cross-correlation, as DL4J's) of {@code out().channels()} filters of kh × kw with stride
     * (sh, sw); padding {@code padTop}/{@code padLeft} zeros before the first row/column (as many after as the
     * output size needs: DL4J's Same mode); then bias and activation. A kept weight W[o, c, y, x] has position
     * {@code ((o · in.channels + c) · kh + y) · kw + x}.
     */
    record Conv(String name, Shape in, Shape out, int kh, int kw, int sh, int sw, int padTop, int padLeft,
                boolean relu, int[] positions, float[] values, float[] bias) implements LayerSpec {
        public Conv {
            Objects.requireNonNull(name, "name");
            checkWindow(name, in, out, kh, kw, sh, sw, padTop, padLeft);
            checkWeights(name, positions, values, (long) out.channels() * in.channels() * kh * kw);
            checkBias(name, bias, out.channels());
        }
    }

    /** Max pooling over kh × kw windows with stride (sh, sw) and leading padding (padding never wins the max). */
    record MaxPool(String name, Shape in, Shape out, int kh, int kw, int sh, int sw, int padTop, int padLeft)
            implements LayerSpec {
        public MaxPool {
            Objects.requireNonNull(name, "name");
            if (out.channels() != in.channels()) {
                throw new IllegalArgumentException(name + ": pooling keeps the channels, got " + in + " -> " + out);
            }
            checkWindow(name, in, out, kh, kw, sh, sw, padTop, padLeft);
        }
    }

    /**
     * Local response normalization across channels (Krizhevsky et al. 2012, sec. 3.3, as DL4J's):
     * {@code y_c = x_c / (k + alpha · Σ_{c' = c − n/2}^{c + n/2} x_c'²)^beta}, n/2 rounded down.
     */
    record Lrn(String name, Shape in, double k, int n, double alpha, double beta) implements LayerSpec {
        public Lrn {
            Objects.requireNonNull(name, "name");
            if (!(k > 0) || n < 1 || !(alpha >= 0) || !(beta >= 0) || !Double.isFinite(k) || !Double.isFinite(alpha)
                    || !Double.isFinite(beta)) {
                throw new IllegalArgumentException(name + ": LRN needs k > 0, n >= 1, alpha >= 0, beta >= 0, got k="
                        + k + " n=" + n + " alpha=" + alpha + " beta=" + beta);
            }
        }

        @Override
        public Shape out() {
            return in;
        }
    }

    /** max(0, x), element-wise. */
    record Relu(String name, Shape in) implements LayerSpec {
        public Relu {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Shape out() {
            return in;
        }
    }

    /** Whether this layer has weights (is coded in a section of the model file). */
    default boolean weighted() {
        return this instanceof Dense || this instanceof Conv;
    }

    private static void checkWeights(String name, int[] positions, float[] values, long total) {
        if (positions.length != values.length) {
            throw new IllegalArgumentException(name + ": " + positions.length + " positions but " + values.length
                    + " values");
        }
        int prev = -1;
        for (int p : positions) {
            if (p <= prev || p >= total) {
                throw new IllegalArgumentException(name + ": weight positions must ascend inside [0, " + total
                        + "), got " + p + " after " + prev);
            }
            prev = p;
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + ": a weight is not finite: " + v);
            }
        }
    }

    private static void checkBias(String name, float[] bias, int n) {
        if (bias.length != n) {
            throw new IllegalArgumentException(name + ": " + bias.length + " biases for " + n + " outputs");
        }
        for (float b : bias) {
            if (!Float.isFinite(b)) {
                throw new IllegalArgumentException(name + ": a bias is not finite: " + b);
            }
        }
    }

    private static void checkWindow(String name, Shape in, Shape out, int kh, int kw, int sh, int sw, int padTop,
                                    int padLeft) {
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || padTop < 0 || padLeft < 0 || padTop >= kh || padLeft >= kw) {
            throw new IllegalArgumentException(name + ": kernel, stride must be >= 1 and padding in [0, kernel), got "
                    + "kernel " + kh + "x" + kw + " stride " + sh + "x" + sw + " padding " + padTop + "," + padLeft);
        }
        // Every output window must overlap the input (the last one starts inside it).
        if ((long) (out.height() - 1) * sh - padTop >= in.height() || (long) (out.width() - 1) * sw - padLeft
                >= in.width()) {
            throw new IllegalArgumentException(name + ": output " + out + " does not fit input " + in + " with stride "
                    + sh + "x" + sw + " and padding " + padTop + "," + padLeft);
        }
    }
}
