package org.sparsevd.job.config;

import java.net.URI;
import java.net.URISyntaxException;
import org.sparsevd.datasets.SourceNames;

/**
 * Argument checks shared by the config records; each failure names the option and the value it got. The threshold
 * rule is public: {@code export} and {@code evaluate} check a threshold against a trained network's clip range.
 */
public final class Checks {
    private Checks() {
    }

    static int positive(String option, int value) {
        if (value < 1) {
            throw new JobConfigException(option + " must be at least 1, got " + value);
        }
        return value;
    }

    static int nonNegative(String option, int value) {
        if (value < 0) {
            throw new JobConfigException(option + " must be 0 or more, got " + value);
        }
        return value;
    }

    static double finite(String option, double value) {
        if (!Double.isFinite(value)) {
            throw new JobConfigException(option + " must be a finite number, got " + value);
        }
        return value;
    }

    static double finiteNonNegative(String option, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new JobConfigException(option + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    static double finitePositive(String option, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new JobConfigException(option + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    /**
     * A mask threshold must lie in (logAlphaMin, logAlphaMax]: log alpha is clipped to that range, so at or below its
     * lower end every weight is pruned and above its upper end none ever is.
     */
    public static double threshold(String option, double threshold, double logAlphaMin, double logAlphaMax) {
        finite(option, threshold);
        if (!(threshold > logAlphaMin && threshold <= logAlphaMax)) {
            throw new JobConfigException(option + " " + SweepConfig.plain(threshold) + " is outside (--log-alpha-min "
                    + SweepConfig.plain(logAlphaMin) + ", --log-alpha-max " + SweepConfig.plain(logAlphaMax)
                    + "]: log alpha is clipped to that range, so " + (threshold <= logAlphaMin
                    ? "every weight would be pruned" : "no weight would ever be pruned"));
        }
        return threshold;
    }

    static <T> T required(String option, T value) {
        if (value == null) {
            throw new JobConfigException(option + " is required");
        }
        return value;
    }

    /** Parses a Hadoop FileSystem location; a bare path is taken as a local file. */
    static URI location(String option, String value) {
        required(option, value);
        if (value.isBlank()) {
            throw new JobConfigException(option + " must not be empty");
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null) {
                uri = new java.io.File(value).getAbsoluteFile().toURI();
            }
            return withoutTrailingSlash(uri);
        } catch (URISyntaxException e) {
            throw new JobConfigException(option + " is not a valid path or URI: " + value + " (" + e.getReason() + ")");
        }
    }

    /** {@code relative} (a/b) inside the directory {@code dir}, whatever the URI carries after its path (a query). */
    static URI child(URI dir, String relative) {
        String path = dir.getPath() == null || dir.getPath().isEmpty() ? "/" : dir.getPath();
        try {
            return new URI(dir.getScheme(), dir.getRawAuthority() == null ? null : dir.getAuthority(),
                    (path.endsWith("/") ? path : path + "/") + relative, dir.getQuery(), dir.getFragment());
        } catch (URISyntaxException e) {
            throw new JobConfigException(SourceNames.redact(dir.toString()) + "/" + relative + " is not a valid URI ("
                    + e.getReason() + ")");
        }
    }

    /** {@code dir/} and {@code dir} name the same directory: one spelling, so runs compare their locations. */
    private static URI withoutTrailingSlash(URI uri) throws URISyntaxException {
        String path = uri.getPath();
        if (path == null || path.length() <= 1 || !path.endsWith("/")) {
            return uri;
        }
        return new URI(uri.getScheme(), uri.getRawAuthority() == null ? null : uri.getAuthority(),
                path.replaceAll("/+$", ""), uri.getQuery(), uri.getFragment());
    }
}
