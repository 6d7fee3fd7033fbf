package org.sparsevd.job.config;

/**
 * A job option or combination of options that cannot be run. The message names the option and the bad value
 * and is shown to the user as one line.
 */
public final class JobConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobConfigException(String message) {
        super(message);
    }
}
