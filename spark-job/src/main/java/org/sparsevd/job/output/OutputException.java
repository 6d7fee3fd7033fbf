package org.sparsevd.job.output;

/** The output location cannot be used or written; the message names it and is shown to the user as one line. */
public final class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
        super(message);
    }

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
