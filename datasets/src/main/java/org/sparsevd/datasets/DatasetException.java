package org.sparsevd.datasets;

import java.util.Objects;

/**
 * A data file that cannot be used: missing, unreadable, or not in the expected format.
 *
 * <p>The message is one line of the form {@code <source>: <problem>}, where the source is the file, directory or
 * archive entry at fault, so that it can be shown to a user as it is; credentials in a URI are left out
 * ({@link SourceNames#redact}).
 */
public final class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /**
     * @param source  the file, directory or archive entry at fault, as the user named it (usually a URI)
     * @param problem what is wrong with it, without the source
     */
    public DatasetException(String source, String problem) {
        this(source, problem, null);
    }

    /**
     * @param source  the file, directory or archive entry at fault, as the user named it (usually a URI)
     * @param problem what is wrong with it, without the source
     * @param cause   the underlying failure, or {@code null}
     */
    public DatasetException(String source, String problem, Throwable cause) {
        super(SourceNames.redact(requireText(source, "source") + ": " + requireText(problem, "problem")), cause);
        this.source = SourceNames.redact(source);
        this.problem = problem;
    }

    /** @return the file, directory or archive entry at fault */
    public String source() {
        return source;
    }

    /** @return what is wrong, without the source */
    public String problem() {
        return problem;
    }

    private static String requireText(String text, String name) {
        Objects.requireNonNull(text, name);
        if (text.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return text;
    }
}
