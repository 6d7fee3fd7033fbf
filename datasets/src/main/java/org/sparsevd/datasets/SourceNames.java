package org.sparsevd.datasets;

import java.util.regex.Pattern;

/**
 * How a location is named in messages, logs and written files: as the user gave it, minus any credentials in a URI,
 * in its user-info part or its query string ({@code s3a://KEY:SECRET@bucket/data?X-Amz-Signature=...} is shown as
 * {@code s3a://bucket/data}). The one place sparsevd removes credentials: every message, log line and record that
 * names a location goes through {@link #redact}.
 */
public final class SourceNames {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");
    /** A URI ({@code scheme:...}) up to its query string, and the query string (to the next space or fragment). */
    private static final Pattern QUERY = Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*:[^\\s?]*)\\?[^\\s#]*");

    private SourceNames() {
    }

    /** {@code text} (a location, or a message naming any) without the user info and query strings of its URIs. */
    public static String redact(String text) {
        return text == null ? null : QUERY.matcher(USER_INFO.matcher(text).replaceAll("")).replaceAll("$1");
    }
}
