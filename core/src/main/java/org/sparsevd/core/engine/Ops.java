package org.sparsevd.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's compiled layers. Activations of a batch are stored feature-major: feature f of example b is at
 * {@code f · stride + b}, where {@code stride} is the batch padded to whole SIMD vectors (1 for a single example),
 * so the batch is the vector dimension. Every op is immutable; {@link #forward} writes every element of {@code y}.
 * {@link Op#backward} is the gradient of the same function (for {@link CentroidTraining}).
 */
final class Ops {
    private Ops() {
    }

    /** A layer's forward and backward pass; its output shape is its {@link LayerSpec}'s. */
    interface Op {
        void forward(float[] x, float[] y, int stride);

        /**
         * Back-propagation through this op: {@code x} its input and {@code y} its output (as {@link #forward} wrote
         * them), {@code dy} = ∂L/∂y (overwritten: the activation's derivative is applied in place). Writes ∂L/∂x into
         * every element of {@code dx} (unless null), and for a weighted op adds ∂L/∂w of its k-th stored weight
         * (the layer spec's k-th kept weight) into {@code dw[k]} (unless null). Padding lanes of {@code dy} must be 0.
         * Sums over the batch run in a fixed order ({@link Kernels#dot}), so the result does not depend on the SIMD
         * width.
         */
        void backward(float[] x, float[] y, float[] dy, float[] dx, float[] dw, int stride);
    }

    /** The ops of a network's layers, in order (kept weights stored sparsely, or every weight with {@code dense}). */
    static List<Op> compile(NetworkSpec spec, boolean dense) {
        List<Op> list = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            if (l instanceof LayerSpec.Dense d) {
                list.add(new Dense(d, dense));
            } else if (l instanceof LayerSpec.Conv c) {
                list.add(new Conv(c, dense));
            } else if (l instanceof LayerSpec.MaxPool p) {
                list.add(new MaxPool(p));
            } else if (l instanceof LayerSpec.Lrn n) {
                list.add(new Lrn(n));
            } else {
                list.add(new Relu((LayerSpec.Relu) l));
            }
        }
        return List.copyOf(list);
    }

    /**
     * Softmax of example b's logits (feature-major {@code z}, {@code classes} of them) into {@code p}, in double
     * precision, shifted by the largest logit.
     */
    static void softmax(float[] z, int stride, int b, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < p.length; j++) {
            max = Math.max(max, z[j * stride + b]);
        }
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            p[j] = Math.exp(z[j * stride + b] - max);
            sum += p[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
    }

    /** dy = 0 where the ReLU output y is 0 (its derivative there). */
    private static void reluGradient(float[] y, float[] dy, int n) {
        for (int i = 0; i < n; i++) {
            if (!(y[i] > 0f)) {
                dy[i] = 0f;
            }
        }
    }

    /** A layer's stored weights: ascending positions and their values (a copy). */
    private record Kept(int[] positions, float[] values) {
        /** The kept weights, or with {@code dense} every one of the {@code total} positions (pruned ones 0). */
        static Kept of(int[] positions, float[] values, int total, boolean dense) {
            if (!dense) {
                return new Kept(positions.clone(), values.clone());
            }
            float[] all = new float[total];
            for (int k = 0; k < positions.length; k++) {
                all[positions[k]] = values[k];
            }
            int[] every = new int[total];
            Arrays.setAll(every, p -> p);
            return new Kept(every, all);
        }

        /** Where each group of {@code size} consecutive positions starts in the arrays ({@code groups} + 1). */
        int[] groupStarts(int size, int groups) {
            int[] start = new int[groups + 1];
            for (int p : positions) {
                start[p / size + 1]++;
            }
            for (int g = 0; g < groups; g++) {
                start[g + 1] += start[g];
            }
            return start;
        }
    }

    /**
     * A fully connected layer with its kept weights grouped by input: for input i, {@code outputs[start[i] ..
     * start[i+1])} and {@code weights[...]}. Each kept weight (i → j) adds {@code w · x[i, :]} to {@code y[j, :]} over
     * the whole batch; an input that is zero across the batch (a dead ReLU, a blank pixel) costs nothing.
     */
    static final class Dense implements Op {
        private final int inputs;
        private final int[] start;
        private final int[] outputs;
        private final float[] weights;
        private final float[] bias;
        private final boolean relu;

        /** @param dense every weight, zeros included (the dense layout), instead of the kept ones */
        Dense(LayerSpec.Dense spec, boolean dense) {
            this.inputs = spec.in().size();
            int n = spec.outputs();
            Kept kept = Kept.of(spec.positions(), spec.values(), Math.multiplyExact(inputs, n), dense);
            this.start = kept.groupStarts(n, inputs);
            this.outputs = new int[kept.positions.length];
            for (int k = 0; k < outputs.length; k++) {
                outputs[k] = kept.positions[k] % n;
            }
            this.weights = kept.values;
            this.bias = spec.bias().clone();
            this.relu = spec.relu();
        }

        @Override
        public void forward(float[] x, float[] y, int stride) {
            for (int j = 0; j < bias.length; j++) {
                Arrays.fill(y, j * stride, (j + 1) * stride, bias[j]);
            }
            if (stride == 1) {
                for (int i = 0; i < inputs; i++) {
                    float xi = x[i];
                    if (xi != 0f) {
                        for (int k = start[i], end = start[i + 1]; k < end; k++) {
                            y[outputs[k]] += weights[k] * xi;
                        }
                    }
                }
            } else {
                for (int i = 0; i < inputs; i++) {
                    int xo = i * stride;
                    if (start[i] == start[i + 1] || Kernels.allZero(x, xo, stride)) {
                        continue;
                    }
                    for (int k = start[i], end = start[i + 1]; k < end; k++) {
                        Kernels.axpy(weights[k], x, xo, y, outputs[k] * stride, stride);
                    }
                }
            }
            if (relu) {
                Kernels.relu(y, 0, bias.length * stride);
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, float[] dw, int stride) {
            if (relu) {
                reluGradient(y, dy, bias.length * stride);
            }
            if (dx != null) {
                Arrays.fill(dx, 0, inputs * stride, 0f);
            }
            for (int i = 0; i < inputs; i++) {
                int xo = i * stride;
                for (int k = start[i], end = start[i + 1]; k < end; k++) {
                    int go = outputs[k] * stride;
                    if (dw != null) {
                        dw[k] += Kernels.dot(x, xo, dy, go, stride);
                    }
                    if (dx != null) {
                        Kernels.axpy(weights[k], dy, go, dx, xo, stride);
                    }
                }
            }
        }
    }

    /**
     * Direct sparse convolution over the kept taps (input channel, ky, kx, w) of each output channel. Forward is
     * output-stationary: an output row's (columns × batch) floats, a contiguous run when the stride is 1, are summed
     * over the filter's taps in SIMD registers ({@link Kernels#taps}) and written once, bias and ReLU included.
     * Columns that some tap does not reach (padding) are done one at a time with the taps that reach them.
     */
    static final class Conv implements Op {
        private final Shape in;
        private final Shape out;
        private final int sh;
        private final int sw;
        private final int padTop;
        private final int padLeft;
        private final int[] start;
        private final int[] tapChannel;
        private final int[] tapY;
        private final int[] tapX;
        private final float[] tapW;
        /** The output columns [tapLo, tapHi] each tap reaches (empty when tapLo &gt; tapHi), whatever the row. */
        private final int[] tapLo;
        private final int[] tapHi;
        /** The most taps of one filter. */
        private final int maxTaps;
        private final float[] bias;
        private final boolean relu;

        Conv(LayerSpec.Conv spec, boolean dense) {
            this.in = spec.in();
            this.out = spec.out();
            this.sh = spec.sh();
            this.sw = spec.sw();
            this.padTop = spec.padTop();
            this.padLeft = spec.padLeft();
            int perFilter = in.channels() * spec.kh() * spec.kw();
            Kept kept = Kept.of(spec.positions(), spec.values(), Math.multiplyExact(out.channels(), perFilter), dense);
            this.start = kept.groupStarts(perFilter, out.channels());
            int n = kept.positions.length;
            this.tapChannel = new int[n];
            this.tapY = new int[n];
            this.tapX = new int[n];
            this.tapW = kept.values;
            for (int k = 0; k < n; k++) {
                int r = kept.positions[k] % perFilter;
                tapChannel[k] = r / (spec.kh() * spec.kw());
                tapY[k] = r / spec.kw() % spec.kh();
                tapX[k] = r % spec.kw();
            }
            this.tapLo = new int[n];
            this.tapHi = new int[n];
            for (int k = 0; k < n; k++) {
                int shift = tapX[k] - padLeft;
                tapLo[k] = shift >= 0 ? 0 : (-shift + sw - 1) / sw;
                tapHi[k] = Math.min(out.width() - 1, Math.floorDiv(in.width() - 1 - shift, sw));
            }
            int most = 0;
            for (int o = 0; o < out.channels(); o++) {
                most = Math.max(most, start[o + 1] - start[o]);
            }
            this.maxTaps = most;
            this.bias = spec.bias().clone();
            this.relu = spec.relu();
        }

        /**
         * The output columns [lo, hi] that tap k of a filter reaches in output row oy, as {@code lo · 2^32 + hi}, or
         * -1 when it reaches none; input column = ox · sw + tapX − padLeft, input row = oy · sh + tapY − padTop.
         */
        private long columns(int k, int oy) {
            int iy = oy * sh + tapY[k] - padTop;
            if (iy < 0 || iy >= in.height() || tapLo[k] > tapHi[k]) {
                return -1;
            }
            return (long) tapLo[k] << 32 | tapHi[k];
        }

        /** Where tap k's input for output (oy, ox) starts (times {@code stride}). */
        private int inputAt(int k, int oy, int ox, int stride) {
            int iy = oy * sh + tapY[k] - padTop;
            return ((tapChannel[k] * in.height() + iy) * in.width() + ox * sw + tapX[k] - padLeft) * stride;
        }

        /** A run of one tap: weight k, input from xo, output from yo, {@code length} floats each. */
        private interface Run {
            void visit(int k, int xo, int yo, int length);
        }

        /**
         * The runs of every kept tap of filter o into output row oy: with stride 1 one contiguous run over the
         * columns it reaches (× batch), otherwise one per output column.
         */
        private void runs(int o, int oy, int stride, Run run) {
            int row = (o * out.height() + oy) * out.width() * stride;
            for (int k = start[o], end = start[o + 1]; k < end; k++) {
                long cols = columns(k, oy);
                if (cols < 0) {
                    continue;
                }
                int oxLo = (int) (cols >>> 32);
                int oxHi = (int) cols;
                if (sw == 1) {
                    run.visit(k, inputAt(k, oy, oxLo, stride), row + oxLo * stride, (oxHi - oxLo + 1) * stride);
                } else {
                    for (int ox = oxLo; ox <= oxHi; ox++) {
                        run.visit(k, inputAt(k, oy, ox, stride), row + ox * stride, stride);
                    }
                }
            }
        }

        @Override
        public void forward(float[] x, float[] y, int stride) {
            int oh = out.height();
            int ow = out.width();
            int[] offsets = new int[maxTaps];   // the row's taps: input of output column 0 (may lie left of the row)
            float[] w = new float[maxTaps];
            int[] lo = new int[maxTaps];
            int[] hi = new int[maxTaps];
            int[] someOffsets = new int[maxTaps];   // those of them that reach one border column
            float[] someW = new float[maxTaps];
            for (int o = 0; o < out.channels(); o++) {
                for (int oy = 0; oy < oh; oy++) {
                    int row = (o * oh + oy) * ow * stride;
                    int n = 0;
                    int first = 0;        // the columns every tap of the row reaches: [first, last]
                    int last = ow - 1;
                    for (int k = start[o], end = start[o + 1]; k < end; k++) {
                        int iy = oy * sh + tapY[k] - padTop;
                        if (iy < 0 || iy >= in.height() || tapLo[k] > tapHi[k]) {
                            continue;
                        }
                        offsets[n] = ((tapChannel[k] * in.height() + iy) * in.width() + tapX[k] - padLeft) * stride;
                        w[n] = tapW[k];
                        lo[n] = tapLo[k];
                        hi[n] = tapHi[k];
                        first = Math.max(first, tapLo[k]);
                        last = Math.min(last, tapHi[k]);
                        n++;
                    }
                    for (int ox = 0; ox < ow; ox++) {
                        if (ox >= first && ox <= last) {
                            if (sw == 1) {   // every column of [first, last] in one run
                                Kernels.taps(x, offsets, first * stride, w, n, y, row + first * stride,
                                        (last - first + 1) * stride, bias[o], relu);
                                ox = last;
                            } else {
                                Kernels.taps(x, offsets, ox * sw * stride, w, n, y, row + ox * stride, stride, bias[o],
                                        relu);
                            }
                            continue;
                        }
                        int m = 0;
                        for (int j = 0; j < n; j++) {
                            if (lo[j] <= ox && ox <= hi[j]) {
                                someOffsets[m] = offsets[j];
                                someW[m++] = w[j];
                            }
                        }
                        Kernels.taps(x, someOffsets, ox * sw * stride, someW, m, y, row + ox * stride, stride, bias[o],
                                relu);
                    }
                }
            }
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, float[] dw, int stride) {
            if (relu) {
                reluGradient(y, dy, out.size() * stride);
            }
            if (dx != null) {
                Arrays.fill(dx, 0, in.size() * stride, 0f);
            }
            Run back = (k, xo, yo, n) -> {
                if (dw != null) {
                    dw[k] += Kernels.dot(x, xo, dy, yo, n);
                }
                if (dx != null) {
                    Kernels.axpy(tapW[k], dy, yo, dx, xo, n);
                }
            };
            for (int o = 0; o < out.channels(); o++) {
                for (int oy = 0; oy < out.height(); oy++) {
                    runs(o, oy, stride, back);
                }
            }
        }
    }

    /** Max pooling; windows are clipped to the input (padding is never the maximum). */
    record MaxPool(LayerSpec.MaxPool spec) implements Op {
        /** One output element's window: input rows [y0, y1), columns [x0, x1) of channel c; the output at dst. */
        private interface Window {
            void visit(int c, int y0, int y1, int x0, int x1, int dst);
        }

        private void windows(int stride, Window window) {
            Shape in = spec.in();
            Shape out = spec.out();
            for (int c = 0; c < out.channels(); c++) {
                for (int oy = 0; oy < out.height(); oy++) {
                    int y0 = Math.max(0, oy * spec.sh() - spec.padTop());
                    int y1 = Math.min(in.height(), oy * spec.sh() - spec.padTop() + spec.kh());
                    for (int ox = 0; ox < out.width(); ox++) {
                        int x0 = Math.max(0, ox * spec.sw() - spec.padLeft());
                        int x1 = Math.min(in.width(), ox * spec.sw() - spec.padLeft() + spec.kw());
                        window.visit(c, y0, y1, x0, x1, ((c * out.height() + oy) * out.width() + ox) * stride);
                    }
                }
            }
        }

        @Override
        public void forward(float[] x, float[] y, int stride) {
            Shape in = spec.in();
            windows(stride, (c, y0, y1, x0, x1, dst) -> {
                System.arraycopy(x, ((c * in.height() + y0) * in.width() + x0) * stride, y, dst, stride);
                for (int iy = y0; iy < y1; iy++) {
                    for (int ix = x0; ix < x1; ix++) {
                        Kernels.max(x, ((c * in.height() + iy) * in.width() + ix) * stride, y, dst, stride);
                    }
                }
            });
        }

        /** The gradient goes to the first input of each window (in row order) equal to the window's maximum. */
        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, float[] dw, int stride) {
            if (dx == null) {
                return;
            }
            Shape in = spec.in();
            Arrays.fill(dx, 0, in.size() * stride, 0f);
            windows(stride, (c, y0, y1, x0, x1, dst) -> {
                for (int b = 0; b < stride; b++) {
                    float g = dy[dst + b];
                    if (g == 0f) {
                        continue;
                    }
                    found:
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            int src = ((c * in.height() + iy) * in.width() + ix) * stride + b;
                            if (x[src] == y[dst + b]) {
                                dx[src] += g;
                                break found;
                            }
                        }
                    }
                }
            });
        }
    }

    /** Local response normalization across channels ({@link LayerSpec.Lrn}). */
    record Lrn(LayerSpec.Lrn spec) implements Op {
        /** Channel c's sum of squares over its neighbourhood, for every element of one plane. */
        private void squares(float[] x, int c, float[] sum, int plane) {
            int channels = spec.in().channels();
            int half = spec.n() / 2;
            Arrays.fill(sum, 0f);
            for (int d = Math.max(0, c - half); d <= Math.min(channels - 1, c + half); d++) {
                for (int p = 0; p < plane; p++) {
                    float v = x[d * plane + p];
                    sum[p] += v * v;
                }
            }
        }

        @Override
        public void forward(float[] x, float[] y, int stride) {
            int plane = spec.in().height() * spec.in().width() * stride;
            float[] sum = new float[plane];
            for (int c = 0; c < spec.in().channels(); c++) {
                squares(x, c, sum, plane);
                for (int p = 0; p < plane; p++) {
                    y[c * plane + p] = (float) (x[c * plane + p] / Math.pow(spec.k() + spec.alpha() * sum[p],
                            spec.beta()));
                }
            }
        }

        /**
         * With d_c = k + alpha · Σ_{c' near c} x_c'²: ∂L/∂x_j = g_j · d_j^−β − 2·alpha·β · x_j · Σ_{c near j} g_c ·
         * x_c · d_c^(−β−1) (the neighbourhood is symmetric).
         */
        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, float[] dw, int stride) {
            if (dx == null) {
                return;
            }
            int channels = spec.in().channels();
            int plane = spec.in().height() * spec.in().width() * stride;
            int half = spec.n() / 2;
            double beta = spec.beta();
            float[] sum = new float[plane];
            double[] scale = new double[channels * plane];   // d_c^−β
            double[] weighted = new double[channels * plane]; // g_c · x_c · d_c^(−β−1)
            for (int c = 0; c < channels; c++) {
                squares(x, c, sum, plane);
                for (int p = 0; p < plane; p++) {
                    double d = spec.k() + spec.alpha() * sum[p];
                    int i = c * plane + p;
                    scale[i] = Math.pow(d, -beta);
                    weighted[i] = dy[i] * x[i] * scale[i] / d;
                }
            }
            for (int j = 0; j < channels; j++) {
                for (int p = 0; p < plane; p++) {
                    double s = 0;
                    for (int c = Math.max(0, j - half); c <= Math.min(channels - 1, j + half); c++) {
                        s += weighted[c * plane + p];
                    }
                    int i = j * plane + p;
                    dx[i] = (float) (dy[i] * scale[i] - 2 * spec.alpha() * beta * x[i] * s);
                }
            }
        }
    }

    /** max(0, x). */
    static final class Relu implements Op {
        private final Shape shape;

        Relu(LayerSpec.Relu spec) {
            this.shape = spec.out();
        }

        @Override
        public void forward(float[] x, float[] y, int stride) {
            int n = shape.size() * stride;
            System.arraycopy(x, 0, y, 0, n);
            Kernels.relu(y, 0, n);
        }

        @Override
        public void backward(float[] x, float[] y, float[] dy, float[] dx, float[] dw, int stride) {
            int n = shape.size() * stride;
            reluGradient(y, dy, n);
            if (dx != null) {
                System.arraycopy(dy, 0, dx, 0, n);
            }
        }
    }
}
