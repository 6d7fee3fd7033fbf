package org.sparsevd.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Retraining of the shared centroids after k-means (Deep Compression, Han, Mao, Dally, ICLR 2016, sec. 3.1): the
 * network runs deterministically with every kept weight equal to its centroid (pruned weights stay 0, each weight
 * keeps its centroid); the gradient of the mean cross-entropy with respect to a centroid is the sum of the
 * gradients of the weights that share it (their eq. 3, ∂L/∂C_k = Σ_ij ∂L/∂W_ij · 1(I_ij = k)); Adam (Kingma and
 * Ba 2015; β1 0.9, β2 0.999, ε 1e-8) updates the centroids over a few shuffled passes of the training examples.
 * Biases, masks and assignments do not change. Forward and backward are the engine's own ({@link Ops}), so the
 * retrained network is the one the model file holds. Deterministic: the same inputs and seed give the same
 * centroids, whatever the SIMD width.
 */
public final class CentroidTraining {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    /**
     * @param epochs       passes over the training examples (at least 1)
     * @param learningRate Adam's step size, finite and &gt; 0
     * @param batch        examples per step (at least 1)
     * @param seed         the seed of the example order
     */
    public record Settings(int epochs, double learningRate, int batch, long seed) {
        public Settings {
            if (epochs < 1) {
                throw new IllegalArgumentException("retraining needs at least 1 epoch, got " + epochs);
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("the learning rate must be finite and > 0, got " + learningRate);
            }
            if (batch < 1) {
                throw new IllegalArgumentException("the batch must hold at least 1 example, got " + batch);
            }
        }
    }

    /**
     * Labelled examples as unsigned-byte pixels, {@code input.shape().size()} per example (CHW), turned into
     * features by the network's own preprocessing ({@link InputSpec#features}).
     *
     * @param pixels {@code labels.length · shape size} bytes
     * @param labels one class per example
     */
    public record Examples(byte[] pixels, byte[] labels) {
        public Examples {
            Objects.requireNonNull(pixels, "pixels");
            if (labels.length == 0) {
                throw new IllegalArgumentException("no training examples");
            }
        }

        public int count() {
            return labels.length;
        }
    }

    /** Mean cross-entropy (nats) and accuracy of a network on labelled examples. */
    public record Fit(double loss, double accuracy) {
    }

    private CentroidTraining() {
    }

    /**
     * Retrains the centroids of {@code books} (one per weighted layer of {@code spec}, in order, as
     * {@link Codebook#decode(NetworkSpec, List)} takes them) on {@code data}; returns the codebooks with the new
     * centroids and the same assignments.
     */
    public static List<Codebook> retrain(NetworkSpec spec, List<Codebook> books, Examples data, Settings settings) {
        Objects.requireNonNull(settings, "settings");
        int size = spec.input().shape().size();
        check(spec, data);
        double[][] c = new double[books.size()][];
        double[][] m = new double[books.size()][];
        double[][] v = new double[books.size()][];
        for (int l = 0; l < books.size(); l++) {
            float[] start = books.get(l).centroids();
            c[l] = new double[start.length];
            for (int k = 0; k < start.length; k++) {
                c[l][k] = start[k];
            }
            m[l] = new double[start.length];
            v[l] = new double[start.length];
        }
        int[] order = new int[data.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(settings.seed());
        long step = 0;
        List<Codebook> current = books;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) {  // Fisher-Yates
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < order.length; from += settings.batch()) {
                int n = Math.min(settings.batch(), order.length - from);
                float[][] x = new float[n][];
                int[] y = new int[n];
                for (int b = 0; b < n; b++) {
                    x[b] = spec.input().features(data.pixels(), order[from + b] * size);
                    y[b] = Byte.toUnsignedInt(data.labels()[order[from + b]]);
                }
                double[][] g = gradients(Codebook.decode(spec, current), current, x, y);
                step++;
                double lr = settings.learningRate() * Math.sqrt(1 - Math.pow(BETA2, step))
                        / (1 - Math.pow(BETA1, step));
                List<Codebook> next = new ArrayList<>();
                for (int l = 0; l < c.length; l++) {
                    float[] values = new float[c[l].length];
                    for (int k = 0; k < c[l].length; k++) {
                        m[l][k] = BETA1 * m[l][k] + (1 - BETA1) * g[l][k];
                        v[l][k] = BETA2 * v[l][k] + (1 - BETA2) * g[l][k] * g[l][k];
                        c[l][k] -= lr * m[l][k] / (Math.sqrt(v[l][k]) + EPSILON);
                        values[k] = (float) c[l][k];
                    }
                    next.add(current.get(l).withCentroids(values));
                }
                current = List.copyOf(next);
            }
        }
        return current;
    }

    /**
     * The gradient of the batch's mean cross-entropy with respect to every centroid: the engine's forward pass,
     * softmax, then each op's backward; weight gradients summed per centroid.
     */
    static double[][] gradients(NetworkSpec decoded, List<Codebook> books, float[][] inputs, int[] labels) {
        List<Ops.Op> ops = Ops.compile(decoded, false);
        int batch = inputs.length;
        int stride = batch == 1 ? 1 : (batch + Kernels.LANES - 1) / Kernels.LANES * Kernels.LANES;
        int features = decoded.input().shape().size();
        float[][] acts = new float[ops.size() + 1][];
        acts[0] = new float[features * stride];
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < features; f++) {
                acts[0][f * stride + b] = inputs[b][f];
            }
        }
        int largest = features;
        for (int l = 0; l < ops.size(); l++) {
            int size = decoded.layers().get(l).out().size();
            largest = Math.max(largest, size);
            acts[l + 1] = new float[size * stride];
            ops.get(l).forward(acts[l], acts[l + 1], stride);
        }
        float[] z = acts[ops.size()];
        int classes = decoded.classes();
        float[] dy = new float[largest * stride];
        float[] dx = new float[largest * stride];
        double[] p = new double[classes];
        for (int b = 0; b < batch; b++) {  // ∂ mean CE / ∂ logits = (softmax − one-hot) / batch
            Ops.softmax(z, stride, b, p);
            for (int j = 0; j < classes; j++) {
                dy[j * stride + b] = (float) ((p[j] - (j == labels[b] ? 1 : 0)) / batch);
            }
        }
        double[][] g = new double[books.size()][];
        int w = books.size();
        for (int l = ops.size() - 1; l >= 0; l--) {
            LayerSpec layer = decoded.layers().get(l);
            float[] dw = null;
            if (layer.weighted()) {
                w--;
                dw = new float[books.get(w).index().length];
            }
            boolean needInput = w > 0;  // a weighted layer below this one
            ops.get(l).backward(acts[l], acts[l + 1], dy, needInput ? dx : null, dw, stride);
            if (dw != null) {
                Codebook book = books.get(w);
                g[w] = new double[book.centroids().length];
                for (int k = 0; k < dw.length; k++) {
                    g[w][book.index()[k]] += dw[k];
                }
            }
            if (!needInput) {
                break;
            }
            float[] t = dy;
            dy = dx;
            dx = t;
        }
        return g;
    }

    /** Mean cross-entropy and accuracy of {@code spec} (run by the engine) on {@code data}. */
    public static Fit fit(NetworkSpec spec, Examples data) {
        check(spec, data);
        SparseNetwork net = SparseNetwork.of(spec);
        int size = spec.input().shape().size();
        int batch = 100;
        double loss = 0;
        long correct = 0;
        for (int from = 0; from < data.count(); from += batch) {
            int n = Math.min(batch, data.count() - from);
            float[][] x = new float[n][];
            for (int b = 0; b < n; b++) {
                x[b] = spec.input().features(data.pixels(), (from + b) * size);
            }
            float[][] p = net.predict(x);
            for (int b = 0; b < n; b++) {
                int label = Byte.toUnsignedInt(data.labels()[from + b]);
                loss -= Math.log(Math.max(p[b][label], Float.MIN_NORMAL));
                correct += SparseNetwork.argmax(p[b]) == label ? 1 : 0;
            }
        }
        return new Fit(loss / data.count(), (double) correct / data.count());
    }

    private static void check(NetworkSpec spec, Examples data) {
        long size = spec.input().shape().size();
        if (data.pixels().length != data.count() * size) {
            throw new IllegalArgumentException(data.count() + " examples need " + data.count() * size + " pixels, got "
                    + data.pixels().length);
        }
        for (byte label : data.labels()) {
            if (Byte.toUnsignedInt(label) >= spec.classes()) {
                throw new IllegalArgumentException("label " + Byte.toUnsignedInt(label) + " is not one of the "
                        + spec.classes() + " classes");
            }
        }
    }
}
