package org.sparsevd.core.engine;

/** A model file that cannot be read: not one, truncated, corrupt (a checksum fails) or of another format version. */
public final class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
