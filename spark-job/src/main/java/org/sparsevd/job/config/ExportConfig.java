package org.sparsevd.job.config;

import java.net.URI;
import org.sparsevd.core.engine.Quantization;

/**
 * The validated options of {@code export}.
 *
 * @param input        a run directory or a sweep directory
 * @param output       the model file to write ({@code <output>.json} beside it)
 * @param data         the data set to measure test accuracy on, or null for the run's own
 * @param threshold    the log alpha threshold, or NaN for the run's own (the sweep's selected one)
 * @param quantization bits of dense and conv layers, or float32 values
 */
public record ExportConfig(URI input, URI output, URI data, double threshold, Quantization quantization) {
    public ExportConfig {
        Checks.required("--input", input);
        Checks.required("--output", output);
        Checks.required("quantization", quantization);
    }

    /** Builds and checks the options as given on the command line (threshold null: the run's own). */
    public static ExportConfig of(String input, String output, String data, Double threshold, int bitsDense,
                                  int bitsConv, boolean quantize) {
        if (threshold != null) {
            Checks.finite("--threshold", threshold);
        }
        bits("--bits-dense", bitsDense);
        bits("--bits-conv", bitsConv);
        return new ExportConfig(Checks.location("--input", input), Checks.location("--output", output),
                data == null ? null : Checks.location("--data", data), threshold == null ? Double.NaN : threshold,
                new Quantization(quantize, bitsDense, bitsConv));
    }

    private static void bits(String option, int bits) {
        if (bits < 1 || bits > Quantization.MAX_BITS) {
            throw new JobConfigException(option + " must be in 1.." + Quantization.MAX_BITS + ", got " + bits);
        }
    }
}
