package org.sparsevd.datasets;

import java.util.Objects;

/**
 * Labelled images held as unsigned bytes: a whole data set (or part of one) in memory.
 *
 * <p>Pixels are stored example after example; inside an example channel after channel, each channel row after row
 * (CHW). Pixel {@code (c, y, x)} of example {@code i} is at {@code i * featureSize() + (c * height + y) * width + x}.
 * Labels are class indices in {@code [0, numClasses)}.
 *
 * <p>Instances are immutable. The arrays given to the constructor are not copied: the caller hands them over and must
 * not change them afterwards. Instances derived from this one ({@link #subset}, relabelled copies) share the pixel
 * array where they can.
 */
public final class LabeledImages implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The most classes a byte label can name. */
    public static final int MAX_CLASSES = 256;

    private final String source;
    private final byte[] pixels;
    private final byte[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;

    /**
     * @param source     where the examples came from (a URI or description), used in logs and messages
     * @param pixels     {@code labels.length * channels * height * width} unsigned bytes, CHW inside each example
     * @param labels     one unsigned byte class index per example, each below {@code numClasses}; at least one
     * @param channels   channels per image, at least 1
     * @param height     image height in pixels, at least 1
     * @param width      image width in pixels, at least 1
     * @param numClasses number of classes, in {@code [2, 256]}
     */
    public LabeledImages(String source, byte[] pixels, byte[] labels, int channels, int height, int width,
                         int numClasses) {
        this.source = SourceNames.redact(Objects.requireNonNull(source, "source"));
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (numClasses < 2 || numClasses > MAX_CLASSES) {
            throw new IllegalArgumentException("numClasses must be in [2, " + MAX_CLASSES + "], got " + numClasses);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("at least one example is required");
        }
        long expectedPixels = (long) labels.length * channels * height * width;
        if (pixels.length != expectedPixels) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes but " + labels.length
                    + " examples of " + channels + "x" + height + "x" + width + " need " + expectedPixels);
        }
        for (int i = 0; i < labels.length; i++) {
            if (Byte.toUnsignedInt(labels[i]) >= numClasses) {
                throw new IllegalArgumentException("label " + Byte.toUnsignedInt(labels[i]) + " at index " + i
                        + " is out of range [0, " + numClasses + ")");
            }
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
    }

    /** @return where the examples came from */
    public String source() {
        return source;
    }

    /** @return number of examples */
    public int count() {
        return labels.length;
    }

    /** @return channels per image */
    public int channels() {
        return channels;
    }

    /** @return image height in pixels */
    public int height() {
        return height;
    }

    /** @return image width in pixels */
    public int width() {
        return width;
    }

    /** @return number of classes; every label is below it */
    public int numClasses() {
        return numClasses;
    }

    /** @return values per example: {@code channels * height * width} */
    public int featureSize() {
        return channels * height * width;
    }

    /**
     * @param example index of the example
     * @return its class index, in {@code [0, numClasses)}
     */
    public int label(int example) {
        Objects.checkIndex(example, labels.length);
        return Byte.toUnsignedInt(labels[example]);
    }

    /**
     * @param example index of the example
     * @param offset  index of the value inside the example, {@code (c * height + y) * width + x}
     * @return the raw pixel value, in {@code [0, 255]}
     */
    public int pixel(int example, int offset) {
        Objects.checkIndex(example, labels.length);
        Objects.checkIndex(offset, featureSize());
        return Byte.toUnsignedInt(pixels[example * featureSize() + offset]);
    }

    /** @return how many examples each class has, indexed by class */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (byte label : labels) {
            counts[Byte.toUnsignedInt(label)]++;
        }
        return counts;
    }

    /**
     * The pixels of examples {@code [from, to)} scaled to {@code [0, 1]}.
     *
     * @return {@code (to - from) * featureSize()} floats, example after example, CHW inside each
     */
    public float[] features(int from, int to) {
        return features(from, to, ChannelNormalization.unitScale(channels));
    }

    /**
     * The pixels of examples {@code [from, to)} scaled to {@code [0, 1]} then normalised per channel.
     *
     * @param normalization per-channel mean and standard deviation; must have {@link #channels()} channels
     * @return {@code (to - from) * featureSize()} floats, example after example, CHW inside each
     */
    public float[] features(int from, int to, ChannelNormalization normalization) {
        Objects.checkFromToIndex(from, to, labels.length);
        float[][] tables = lookupTables(normalization);
        float[] out = new float[(to - from) * featureSize()];
        for (int i = from; i < to; i++) {
            writeFeatures(i, out, (i - from) * featureSize(), tables);
        }
        return out;
    }

    /**
     * The examples at the given indices, in that order. The result shares nothing mutable with this instance.
     *
     * @param indices example indices, each in {@code [0, count)}; repeats allowed; at least one
     * @return a new instance with {@code indices.length} examples and the same source, shape and classes
     */
    public LabeledImages subset(int[] indices) {
        Objects.requireNonNull(indices, "indices");
        int size = featureSize();
        byte[] subsetPixels = new byte[Math.multiplyExact(indices.length, size)];
        byte[] subsetLabels = new byte[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = Objects.checkIndex(indices[j], labels.length);
            System.arraycopy(pixels, i * size, subsetPixels, j * size, size);
            subsetLabels[j] = labels[i];
        }
        return new LabeledImages(source, subsetPixels, subsetLabels, channels, height, width, numClasses);
    }

    /** @return the same pixels with other labels, sharing the pixel array; the labels array is handed over */
    LabeledImages withLabels(byte[] newLabels) {
        return new LabeledImages(source, pixels, newLabels, channels, height, width, numClasses);
    }

    /** @return a copy of the labels, one unsigned byte per example */
    byte[] labelBytes() {
        return labels.clone();
    }

    /** Adds, per channel, the sum and the sum of squares of all raw pixel values to the given arrays. */
    void accumulateChannelMoments(long[] sums, long[] sumsOfSquares) {
        int plane = height * width;
        for (int start = 0; start < pixels.length; start += plane) {
            int channel = (start / plane) % channels;
            long sum = 0;
            long sumOfSquares = 0;
            for (int p = start; p < start + plane; p++) {
                int value = Byte.toUnsignedInt(pixels[p]);
                sum += value;
                sumOfSquares += value * value;
            }
            sums[channel] += sum;
            sumsOfSquares[channel] += sumOfSquares;
        }
    }

    /**
     * Writes the features of one example to {@code out} starting at {@code offset}, mapping each raw value through
     * the table of its channel.
     */
    void writeFeatures(int example, float[] out, int offset, float[][] tables) {
        int plane = height * width;
        int base = example * featureSize();
        for (int c = 0; c < channels; c++) {
            float[] table = tables[c];
            int from = base + c * plane;
            int to = offset + c * plane;
            for (int p = 0; p < plane; p++) {
                out[to + p] = table[Byte.toUnsignedInt(pixels[from + p])];
            }
        }
    }

    /** @return the per-channel tables from raw value to feature for the given normalisation */
    float[][] lookupTables(ChannelNormalization normalization) {
        Objects.requireNonNull(normalization, "normalization");
        if (normalization.channels() != channels) {
            throw new IllegalArgumentException("normalization has " + normalization.channels()
                    + " channels but the images have " + channels);
        }
        return normalization.lookupTables();
    }

    @Override
    public String toString() {
        return count() + " images of " + channels + "x" + height + "x" + width + " in " + numClasses
                + " classes from " + source;
    }
}
