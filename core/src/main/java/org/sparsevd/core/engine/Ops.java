package org.sparsevd.core.engine;

import java.util.Arrays;

/**
 * The engine's compiled layers. Activations of a batch are stored feature-major: feature f of example b is at
 * {@code f · stride + b}, where {@code stride} is the batch padded to whole SIMD vectors (1 for a single example),
 * so the batch is the vector dimension. Every op is immutable; {@link #forward} writes every element of {@code y}.
 */
final class Ops {
    private Ops() {
    }

    interface Op {
        Shape out();

        void forward(float[] x, float[] y, int stride);
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
        private final Shape out;
        private final int inputs;
        private final int[] start;
        private final int[] outputs;
        private final float[] weights;
        private final float[] bias;
        private final boolean relu;

        /** @param dense every weight, zeros included (the dense layout), instead of the kept ones */
        Dense(LayerSpec.Dense spec, boolean dense) {
            this.out = spec.out();
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
        public Shape out() {
            return out;
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
    }

    /**
     * Direct sparse convolution: for every output channel, only its kept taps (input channel, ky, kx, w); each tap
     * adds {@code w ·} a shifted input row to an output row, a contiguous run over (columns × batch) when the stride
     * is 1. Output rows are finished one at a time, so they stay in cache.
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
            this.bias = spec.bias().clone();
            this.relu = spec.relu();
        }

        @Override
        public Shape out() {
            return out;
        }

        @Override
        public void forward(float[] x, float[] y, int stride) {
            int h = in.height();
            int w = in.width();
            int oh = out.height();
            int ow = out.width();
            for (int o = 0; o < out.channels(); o++) {
                for (int oy = 0; oy < oh; oy++) {
                    int row = (o * oh + oy) * ow * stride;
                    Arrays.fill(y, row, row + ow * stride, bias[o]);
                    for (int k = start[o], end = start[o + 1]; k < end; k++) {
                        int iy = oy * sh + tapY[k] - padTop;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int shift = tapX[k] - padLeft; // ix = ox · sw + shift
                        int oxLo = shift >= 0 ? 0 : (-shift + sw - 1) / sw;
                        int oxHi = Math.min(ow - 1, Math.floorDiv(w - 1 - shift, sw));
                        if (oxLo > oxHi) {
                            continue;
                        }
                        int inRow = (tapChannel[k] * h + iy) * w;
                        if (sw == 1) {
                            Kernels.axpy(tapW[k], x, (inRow + oxLo + shift) * stride, y, row + oxLo * stride,
                                    (oxHi - oxLo + 1) * stride);
                        } else {
                            for (int ox = oxLo; ox <= oxHi; ox++) {
                                Kernels.axpy(tapW[k], x, (inRow + ox * sw + shift) * stride, y, row + ox * stride,
                                        stride);
                            }
                        }
                    }
                    if (relu) {
                        Kernels.relu(y, row, ow * stride);
                    }
                }
            }
        }
    }

    /** Max pooling; windows are clipped to the input (padding is never the maximum). */
    record MaxPool(LayerSpec.MaxPool spec) implements Op {
        @Override
        public Shape out() {
            return spec.out();
        }

        @Override
        public void forward(float[] x, float[] y, int stride) {
            Shape in = spec.in();
            Shape out = spec.out();
            for (int c = 0; c < out.channels(); c++) {
                for (int oy = 0; oy < out.height(); oy++) {
                    int y0 = Math.max(0, oy * spec.sh() - spec.padTop());
                    int y1 = Math.min(in.height(), oy * spec.sh() - spec.padTop() + spec.kh());
                    for (int ox = 0; ox < out.width(); ox++) {
                        int x0 = Math.max(0, ox * spec.sw() - spec.padLeft());
                        int x1 = Math.min(in.width(), ox * spec.sw() - spec.padLeft() + spec.kw());
                        int dst = ((c * out.height() + oy) * out.width() + ox) * stride;
                        System.arraycopy(x, ((c * in.height() + y0) * in.width() + x0) * stride, y, dst, stride);
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                Kernels.max(x, ((c * in.height() + iy) * in.width() + ix) * stride, y, dst, stride);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Local response normalization across channels ({@link LayerSpec.Lrn}). */
    record Lrn(LayerSpec.Lrn spec) implements Op {
        @Override
        public Shape out() {
            return spec.out();
        }

        @Override
        public void forward(float[] x, float[] y, int stride) {
            int channels = spec.in().channels();
            int plane = spec.in().height() * spec.in().width() * stride;
            int half = spec.n() / 2;
            float[] sum = new float[plane];
            for (int c = 0; c < channels; c++) {
                Arrays.fill(sum, 0f);
                for (int d = Math.max(0, c - half); d <= Math.min(channels - 1, c + half); d++) {
                    for (int p = 0; p < plane; p++) {
                        float v = x[d * plane + p];
                        sum[p] += v * v;
                    }
                }
                for (int p = 0; p < plane; p++) {
                    y[c * plane + p] = (float) (x[c * plane + p] / Math.pow(spec.k() + spec.alpha() * sum[p],
                            spec.beta()));
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
        public Shape out() {
            return shape;
        }

        @Override
        public void forward(float[] x, float[] y, int stride) {
            int n = shape.size() * stride;
            System.arraycopy(x, 0, y, 0, n);
            Kernels.relu(y, 0, n);
        }
    }
}
