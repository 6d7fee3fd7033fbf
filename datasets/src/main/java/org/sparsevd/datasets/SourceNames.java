package org.sparsevd.datasets;

import java.util.regex.Pattern;

/**
 * How a data source is named in messages and logs: as the user gave it, minus any credentials in a URI's user-info
 * part ({@code s3a://KEY:SECRET@bucket/data} is shown as {@code s3a://bucket/data}).
 */
public final class SourceNames {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");

    private SourceNames() {
    }

    /** {@code source} without the user info of the URIs in it. */
    public static String redact(String source) {
        return USER_INFO.matcher(source).replaceAll("");
    }
}
