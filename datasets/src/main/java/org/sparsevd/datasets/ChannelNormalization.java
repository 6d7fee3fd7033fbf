package org.sparsevd.datasets;

import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-channel mean and standard deviation of pixel values scaled to {@code [0, 1]}; a feature is
 * {@code (pixel / 255 - mean[c]) / std[c]}. Fit it on the training set and apply the same instance to the test set.
 * Immutable.
 */
public final class ChannelNormalization implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ChannelNormalization.class);

    private final double[] means;
    private final double[] stds;
    /** Feature value for each raw pixel value, per channel: {@code [channel][0..255]}. */
    private final float[][] tables;

    /**
     * @param means per-channel means of pixel values scaled to {@code [0, 1]}; finite; at least one channel
     * @param stds  per-channel standard deviations on the same scale; finite and positive; as many as means
     */
    public ChannelNormalization(double[] means, double[] stds) {
        Objects.requireNonNull(means, "means");
        Objects.requireNonNull(stds, "stds");
        if (means.length == 0 || means.length != stds.length) {
            throw new IllegalArgumentException("need the same positive number of means and stds, got "
                    + means.length + " and " + stds.length);
        }
        for (int c = 0; c < means.length; c++) {
            if (!Double.isFinite(means[c])) {
                throw new IllegalArgumentException("mean of channel " + c + " is not finite: " + means[c]);
            }
            if (!Double.isFinite(stds[c]) || stds[c] <= 0) {
                throw new IllegalArgumentException("std of channel " + c + " must be finite and positive, got "
                        + stds[c]);
            }
        }
        this.means = means.clone();
        this.stds = stds.clone();
        this.tables = new float[means.length][256];
        for (int c = 0; c < means.length; c++) {
            for (int value = 0; value < 256; value++) {
                tables[c][value] = (float) ((value / 255.0 - means[c]) / stds[c]);
            }
        }
    }

    /**
     * Computes the mean and standard deviation of each channel over all pixels of all examples. A channel that is
     * constant gets a standard deviation of 1 (so it is only centred), with a warning.
     *
     * @param data the training set
     * @return the normalisation for images with {@code data.channels()} channels
     */
    public static ChannelNormalization fit(LabeledImages data) {
        Objects.requireNonNull(data, "data");
        int channels = data.channels();
        long[] sums = new long[channels];
        long[] sumsOfSquares = new long[channels];
        data.accumulateChannelMoments(sums, sumsOfSquares);
        double valuesPerChannel = (double) data.count() * data.height() * data.width();
        double[] means = new double[channels];
        double[] stds = new double[channels];
        for (int c = 0; c < channels; c++) {
            double mean = sums[c] / valuesPerChannel;
            double variance = Math.max(0, sumsOfSquares[c] / valuesPerChannel - mean * mean);
            means[c] = mean / 255.0;
            stds[c] = Math.sqrt(variance) / 255.0;
            if (stds[c] == 0) {
                LOG.warn("Channel {} of {} is constant; normalising it with std 1", c, data.source());
                stds[c] = 1;
            }
        }
        ChannelNormalization fitted = new ChannelNormalization(means, stds);
        LOG.info("Fitted {} on {}", fitted, data.source());
        return fitted;
    }

    /** @return the normalisation that leaves pixels scaled to {@code [0, 1]}: mean 0 and std 1 per channel */
    static ChannelNormalization unitScale(int channels) {
        double[] ones = new double[channels];
        Arrays.fill(ones, 1);
        return new ChannelNormalization(new double[channels], ones);
    }

    /** @return number of channels */
    public int channels() {
        return means.length;
    }

    /** @return mean of channel {@code c}, on the {@code [0, 1]} pixel scale */
    public double mean(int c) {
        return means[Objects.checkIndex(c, means.length)];
    }

    /** @return standard deviation of channel {@code c}, on the {@code [0, 1]} pixel scale */
    public double std(int c) {
        return stds[Objects.checkIndex(c, stds.length)];
    }

    /** @return the feature for each raw value, {@code [channel][value]}; shared, must not be modified */
    float[][] lookupTables() {
        return tables;
    }

    @Override
    public String toString() {
        return "ChannelNormalization(mean=" + Arrays.toString(means) + ", std=" + Arrays.toString(stds) + ")";
    }
}
