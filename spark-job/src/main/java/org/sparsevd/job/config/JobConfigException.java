package org.sparsevd.job.config;

import org.sparsevd.datasets.SourceNames;

/**
 * A job option or combination of options that cannot be run. The message names the option and the bad value
 * and is shown to the user as one line, without credentials ({@link SourceNames#redact}).
 */
public final class JobConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobConfigException(String message) {
        super(SourceNames.redact(message));
    }
}
