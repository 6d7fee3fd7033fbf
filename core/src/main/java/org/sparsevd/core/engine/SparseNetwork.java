package org.sparsevd.core.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The sparse inference engine: an exported network (a {@link ModelFile}) loaded into an immutable object that
 * classifies batches of examples on the CPU, without DL4J or Spark. Thread-safe: every call works on its own buffers.
 *
 * <pre>{@code
 * SparseNetwork net = SparseNetwork.load(Path.of("lenet300.svdm"));
 * float[] features = net.input().features(pixels, 0);          // 784 bytes of a 28x28 image -> its features
 * float[][] p = net.predict(new float[][] {features});          // class probabilities, one row per example
 * int label = SparseNetwork.argmax(p[0]);
 * }</pre>
 *
 * Dense layers keep their weights grouped by input and add {@code w · x[i, :]} to {@code y[j, :]} over the whole
 * batch in SIMD lanes; convolutions run directly over their kept taps; then max pooling, local response
 * normalization, ReLU and a softmax at the end.
 */
public final class SparseNetwork {
    private final NetworkSpec spec;
    private final List<Ops.Op> ops;
    private final int largest;
    private final boolean denseLayout;

    private SparseNetwork(NetworkSpec spec, boolean denseLayout) {
        this.spec = spec;
        this.denseLayout = denseLayout;
        this.ops = Ops.compile(spec, denseLayout);
        int max = spec.input().shape().size();
        for (LayerSpec layer : spec.layers()) {
            max = Math.max(max, layer.out().size());
        }
        this.largest = max;
    }

    /** The engine for a network description (its kept weights stored sparsely). */
    public static SparseNetwork of(NetworkSpec spec) {
        return new SparseNetwork(Objects.requireNonNull(spec, "spec"), false);
    }

    /** Reads a model file ({@link ModelFile#read}) and builds the engine for it. */
    public static SparseNetwork load(InputStream in) throws IOException {
        return of(ModelFile.read(in));
    }

    /** Reads a model file from a local path. */
    public static SparseNetwork load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        }
    }

    /**
     * The same network with every weight stored, pruned ones as zeros (the dense layout), run by the same loops:
     * what the engine costs without the sparsity.
     */
    public SparseNetwork withDenseLayout() {
        return new SparseNetwork(spec, true);
    }

    /** Whether this engine stores every weight ({@link #withDenseLayout}). */
    public boolean denseLayout() {
        return denseLayout;
    }

    /** The description it runs: input and preprocessing, layers, threshold, provenance. */
    public NetworkSpec spec() {
        return spec;
    }

    /** The input shape and preprocessing. */
    public InputSpec input() {
        return spec.input();
    }

    /** The number of classes. */
    public int classes() {
        return spec.classes();
    }

    /**
     * Class probabilities (softmax) of a batch: {@code inputs[b]} is example b's feature vector (the input shape's
     * size, CHW; {@link InputSpec#features} makes it from pixels). Returns one row of {@link #classes()}
     * probabilities per example.
     */
    public float[][] predict(float[][] inputs) {
        int batch = inputs.length;
        if (batch == 0) {
            return new float[0][];
        }
        int features = spec.input().shape().size();
        int stride = batch == 1 ? 1 : (batch + Kernels.LANES - 1) / Kernels.LANES * Kernels.LANES;
        float[] x = new float[largest * stride];
        float[] y = new float[largest * stride];
        for (int b = 0; b < batch; b++) {
            float[] row = inputs[b];
            if (row == null || row.length != features) {
                throw new IllegalArgumentException("example " + b + " has " + (row == null ? "no" : row.length)
                        + " features; the network takes " + features + " (" + spec.input().shape() + ")");
            }
            for (int f = 0; f < features; f++) {
                x[f * stride + b] = row[f];
            }
        }
        for (Ops.Op op : ops) {
            op.forward(x, y, stride);
            float[] t = x;
            x = y;
            y = t;
        }
        int classes = classes();
        float[][] out = new float[batch][classes];
        double[] p = new double[classes];
        for (int b = 0; b < batch; b++) {
            Ops.softmax(x, stride, b, p);
            for (int j = 0; j < classes; j++) {
                out[b][j] = (float) p[j];
            }
        }
        return out;
    }

    /** The index of the largest value (the first of equal ones): the predicted class of a probability row. */
    public static int argmax(float[] probabilities) {
        int best = 0;
        for (int j = 1; j < probabilities.length; j++) {
            if (probabilities[j] > probabilities[best]) {
                best = j;
            }
        }
        return best;
    }
}
