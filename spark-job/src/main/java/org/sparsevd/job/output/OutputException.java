package org.sparsevd.job.output;

import org.sparsevd.datasets.SourceNames;

/**
 * The output location cannot be used or written; the message names it and is shown to the user as one line, without
 * credentials ({@link SourceNames#redact}: a file system's message quoted in it may name a location in full).
 */
public final class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
        super(SourceNames.redact(message));
    }

    public OutputException(String message, Throwable cause) {
        super(SourceNames.redact(message), cause);
    }
}
