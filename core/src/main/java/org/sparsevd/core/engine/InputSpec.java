package org.sparsevd.core.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a network expects as input and how raw pixels become its features: images of {@code shape} (CHW), each
 * unsigned byte pixel {@code v} of channel {@code c} giving the feature {@code (v / 255 − mean[c]) / std[c]}
 * (Fashion-MNIST: mean 0 and std 1, i.e. pixels scaled to [0, 1]; CIFAR-10: the training set's per-channel mean
 * and standard deviation). Immutable.
 */
public final class InputSpec {
    private final Shape shape;
    private final double[] mean;
    private final double[] std;

    /**
     * @param mean per channel, finite, on the [0, 1] pixel scale
     * @param std  per channel, finite and positive
     */
    public InputSpec(Shape shape, double[] mean, double[] std) {
        this.shape = Objects.requireNonNull(shape, "shape");
        if (mean.length != shape.channels() || std.length != shape.channels()) {
            throw new IllegalArgumentException("need one mean and one std per channel (" + shape.channels()
                    + "), got " + mean.length + " and " + std.length);
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c]) || !Double.isFinite(std[c]) || std[c] <= 0) {
                throw new IllegalArgumentException("channel " + c + ": mean must be finite and std finite and > 0, got "
                        + mean[c] + " and " + std[c]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Pixels scaled to [0, 1] (mean 0, std 1 in every channel). */
    public static InputSpec unitScale(Shape shape) {
        double[] ones = new double[shape.channels()];
        Arrays.fill(ones, 1);
        return new InputSpec(shape, new double[shape.channels()], ones);
    }

    public Shape shape() {
        return shape;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    /**
     * The features of one image: {@code pixels} holds {@code shape().size()} unsigned bytes in CHW order from
     * {@code offset}; the result is the network's input vector.
     */
    public float[] features(byte[] pixels, int offset) {
        int plane = shape.height() * shape.width();
        float[] out = new float[shape.size()];
        for (int c = 0; c < shape.channels(); c++) {
            for (int p = 0; p < plane; p++) {
                int v = Byte.toUnsignedInt(pixels[offset + c * plane + p]);
                out[c * plane + p] = (float) ((v / 255.0 - mean[c]) / std[c]);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec other && shape.equals(other.shape) && Arrays.equals(mean, other.mean)
                && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shape, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    @Override
    public String toString() {
        return "input " + shape + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
