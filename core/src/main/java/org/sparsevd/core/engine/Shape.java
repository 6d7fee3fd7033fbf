package org.sparsevd.core.engine;

/** The shape of one example's activations: channels × height × width (CHW; a flat vector is {@code n × 1 × 1}). */
public record Shape(int channels, int height, int width) {
    public Shape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("shape must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    /** A flat vector of {@code n} features. */
    public static Shape flat(int n) {
        return new Shape(n, 1, 1);
    }

    /** Number of features. */
    public int size() {
        return Math.multiplyExact(Math.multiplyExact(channels, height), width);
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
