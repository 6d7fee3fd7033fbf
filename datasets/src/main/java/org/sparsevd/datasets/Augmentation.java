package org.sparsevd.datasets;

import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The standard CIFAR augmentation: a random {@code height x width} crop of the image padded with
 * {@value #PADDING} zero pixels on each side, then a horizontal flip with probability 1/2. Zero is the padding value
 * of the features as given, which after {@link ChannelNormalization} is the channel mean.
 */
public final class Augmentation {

    /** Zero pixels added on each side before cropping. */
    public static final int PADDING = 4;

    private Augmentation() {
    }

    /**
     * Augments every example of {@code batch} in place, drawing a crop offset and a flip per example from
     * {@code random}, so the result depends only on the batch and the state of {@code random}.
     *
     * @param batch    features {@code [b, channels * height * width]}, CHW flattened
     * @param channels channels per image
     * @param height   image height
     * @param width    image width
     * @param random   source of the crop offsets and flips
     */
    public static void apply(DataSet batch, int channels, int height, int width, Random random) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(random, "random");
        INDArray features = Objects.requireNonNull(batch.getFeatures(), "batch features");
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        int featureSize = channels * height * width;
        if (features.rank() != 2 || features.size(1) != featureSize) {
            throw new IllegalArgumentException("features must have shape [b, " + featureSize + "] for "
                    + channels + "x" + height + "x" + width + " images, got " + features.shapeInfoToString());
        }
        int examples = (int) features.size(0);
        float[] source = features.dup('c').data().asFloat();
        float[] augmented = new float[source.length];
        for (int i = 0; i < examples; i++) {
            int dy = random.nextInt(2 * PADDING + 1) - PADDING;
            int dx = random.nextInt(2 * PADDING + 1) - PADDING;
            boolean flip = random.nextBoolean();
            cropAndFlip(source, augmented, i * featureSize, channels, height, width, dy, dx, flip);
        }
        features.assign(Nd4j.create(augmented, features.shape(), 'c'));
    }

    /**
     * Writes one example's augmented image: output pixel {@code (y, x)} is input pixel
     * {@code (y + dy, x' + dx)}, with {@code x' = width - 1 - x} when flipping and {@code x} otherwise, or zero where
     * that falls outside the image.
     *
     * @param offset index of the example's first value in both arrays
     */
    static void cropAndFlip(float[] source, float[] target, int offset, int channels, int height, int width,
                            int dy, int dx, boolean flip) {
        for (int c = 0; c < channels; c++) {
            int plane = offset + c * height * width;
            for (int y = 0; y < height; y++) {
                int sourceY = y + dy;
                for (int x = 0; x < width; x++) {
                    int sourceX = (flip ? width - 1 - x : x) + dx;
                    boolean inside = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
                    target[plane + y * width + x] = inside ? source[plane + sourceY * width + sourceX] : 0f;
                }
            }
        }
    }
}
