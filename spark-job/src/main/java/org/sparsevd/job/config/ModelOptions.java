package org.sparsevd.job.config;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sparsevd.core.arch.Variant;

/**
 * The network and its Sparse VD settings.
 *
 * @param name          architecture name, one of {@link #MODELS}
 * @param variant       one of {@link #VARIANTS}: the Sparse VD network or a baseline with plain layers, with or
 *                      without binary dropout
 * @param dropout       dropout probability of the {@code dropout} variant, in [0, 1)
 * @param width         width multiplier of {@code vgglike} (1 for every other model)
 * @param initFrom      a DL4J model file of the same architecture whose weights and biases initialize the network,
 *                      or {@code null}
 * @param threshold     inference mask threshold t: weights with log alpha >= t are zero; in
 *                      (logAlphaMin, logAlphaMax]
 * @param logSigma2Init initial value of every log sigma^2 parameter (also with {@code initFrom})
 * @param logAlphaMin   lower clip of log alpha
 * @param logAlphaMax   upper clip of log alpha
 */
public record ModelOptions(String name, String variant, double dropout, double width, URI initFrom, double threshold,
                           double logSigma2Init, double logAlphaMin, double logAlphaMax) {
    /** The architectures {@code train} knows. */
    public static final List<String> MODELS = List.of("lenet300", "lenet5", "vgglike", "alexnet");
    /** The variants of every architecture. */
    public static final List<String> VARIANTS = Arrays.stream(Variant.values()).map(Variant::cliName).toList();

    public ModelOptions {
        name = oneOf("--model", name, MODELS);
        variant = oneOf("--variant", variant, VARIANTS);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new JobConfigException("--dropout must be a probability in [0, 1), got " + dropout);
        }
        Checks.finitePositive("--width", width);
        if (width != 1 && !name.equals("vgglike")) {
            throw new JobConfigException("--width applies to --model vgglike only, got --width " + width
                    + " with --model " + name);
        }
        Checks.finite("--log-sigma2-init", logSigma2Init);
        Checks.finite("--log-alpha-min", logAlphaMin);
        Checks.finite("--log-alpha-max", logAlphaMax);
        if (logAlphaMin >= logAlphaMax) {
            throw new JobConfigException("--log-alpha-min (" + logAlphaMin + ") must be below --log-alpha-max (" + logAlphaMax + ")");
        }
        Checks.threshold("--threshold", threshold, logAlphaMin, logAlphaMax);
    }

    /** The dataset a model is made for: {@code idx} (28×28×1) or {@code cifar10} (32×32×3). */
    public String defaultDataset() {
        return name.equals("vgglike") || name.equals("alexnet") ? DataOptions.CIFAR10 : DataOptions.IDX;
    }

    private static String oneOf(String option, String value, List<String> known) {
        Checks.required(option, value);
        String v = value.toLowerCase(Locale.ROOT);
        if (!known.contains(v)) {
            throw new JobConfigException(option + ": unknown " + option.substring(2) + " '" + value + "' (known: "
                    + String.join(", ", known) + ")");
        }
        return v;
    }
}
