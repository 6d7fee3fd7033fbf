package org.sparsevd.core.compress;

/** A coded stream or code table that cannot have been written by this package's encoders. */
public final class CorruptCodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptCodeException(String message) {
        super(message);
    }
}
