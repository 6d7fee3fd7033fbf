package org.sparsevd.job.config;

import java.util.List;
import java.util.Locale;

/**
 * The network and its Sparse VD settings.
 *
 * @param name          architecture name, one of {@link #MODELS}
 * @param threshold     inference mask threshold t: weights with log alpha >= t are zero
 * @param logSigma2Init initial value of every log sigma^2 parameter
 * @param logAlphaMin   lower clip of log alpha
 * @param logAlphaMax   upper clip of log alpha
 */
public record ModelOptions(String name, double threshold, double logSigma2Init, double logAlphaMin,
                           double logAlphaMax) {
    /** The architectures {@code train} knows. */
    public static final List<String> MODELS = List.of("lenet300");

    public ModelOptions {
        Checks.required("--model", name);
        name = name.toLowerCase(Locale.ROOT);
        if (!MODELS.contains(name)) {
            throw new JobConfigException("--model: unknown model '" + name + "' (known: " + String.join(", ", MODELS) + ")");
        }
        Checks.finite("--threshold", threshold);
        Checks.finite("--log-sigma2-init", logSigma2Init);
        Checks.finite("--log-alpha-min", logAlphaMin);
        Checks.finite("--log-alpha-max", logAlphaMax);
        if (logAlphaMin >= logAlphaMax) {
            throw new JobConfigException("--log-alpha-min (" + logAlphaMin + ") must be below --log-alpha-max (" + logAlphaMax + ")");
        }
    }
}
