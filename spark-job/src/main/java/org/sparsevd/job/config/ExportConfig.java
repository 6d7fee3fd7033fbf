package org.sparsevd.job.config;

import java.net.URI;
import java.util.Objects;
import org.sparsevd.core.engine.Quantization;

/**
 * The validated options of {@code export}.
 *
 * @param input        a run directory or a sweep directory
 * @param output       the model file to write ({@code <output>.json} beside it)
 * @param data         the data set to measure test accuracy on, or null for the run's own
 * @param threshold    the log alpha threshold, or NaN for the run's own (the sweep's selected one)
 * @param quantization bits of dense and conv layers, or float32 values
 * @param retrainEpochs passes over the training split that retrain the shared centroids after k-means (0: none;
 *                      always 0 for float32 values)
 * @param retrainLr     Adam's learning rate for that retraining
 */
public record ExportConfig(URI input, URI output, URI data, double threshold, Quantization quantization,
                           int retrainEpochs, double retrainLr) {
    /** Passes of centroid retraining unless {@code --retrain-epochs} says otherwise. */
    public static final int DEFAULT_RETRAIN_EPOCHS = 3;
    /** Adam's learning rate for centroid retraining unless {@code --retrain-lr} says otherwise. */
    public static final double DEFAULT_RETRAIN_LR = 1e-4;

    public ExportConfig {
        Checks.required("--input", input);
        Checks.required("--output", output);
        Objects.requireNonNull(quantization, "quantization");
        Checks.nonNegative("--retrain-epochs", retrainEpochs);
        Checks.finitePositive("--retrain-lr", retrainLr);
        if (!quantization.enabled() && retrainEpochs > 0) {
            throw new JobConfigException("--retrain-epochs " + retrainEpochs + " retrains shared centroids, which "
                    + "--no-quantize does not have");
        }
    }

    /**
     * Builds and checks the options as given on the command line (threshold null: the run's own; retrainEpochs
     * null: {@value #DEFAULT_RETRAIN_EPOCHS}, or 0 with {@code --no-quantize}; retrainLr null: the default).
     */
    public static ExportConfig of(String input, String output, String data, Double threshold, int bitsDense,
                                  int bitsConv, boolean quantize, Integer retrainEpochs, Double retrainLr) {
        if (threshold != null) {
            Checks.finite("--threshold", threshold);
        }
        bits("--bits-dense", bitsDense);
        bits("--bits-conv", bitsConv);
        int epochs = retrainEpochs != null ? retrainEpochs : quantize ? DEFAULT_RETRAIN_EPOCHS : 0;
        return new ExportConfig(Checks.location("--input", input), Checks.location("--output", output),
                data == null ? null : Checks.location("--data", data), threshold == null ? Double.NaN : threshold,
                new Quantization(quantize, bitsDense, bitsConv), epochs,
                retrainLr == null ? DEFAULT_RETRAIN_LR : retrainLr);
    }

    private static void bits(String option, int bits) {
        if (bits < 1 || bits > Quantization.MAX_BITS) {
            throw new JobConfigException(option + " must be in 1.." + Quantization.MAX_BITS + ", got " + bits);
        }
    }
}
