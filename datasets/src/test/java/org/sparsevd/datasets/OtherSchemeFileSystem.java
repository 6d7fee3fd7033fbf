package org.sparsevd.datasets;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;

/** The local file system under the scheme {@value #SCHEME}, to read through a Hadoop file system other than file:. */
public final class OtherSchemeFileSystem extends RawLocalFileSystem {

    static final String SCHEME = "otherfs";
    private static final URI ROOT = URI.create(SCHEME + ":///");

    /** @return a configuration in which {@value #SCHEME}: URIs reach this file system */
    static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set("fs." + SCHEME + ".impl", OtherSchemeFileSystem.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
        return conf;
    }

    /** @return the URI of a local path under this scheme */
    static URI uri(java.nio.file.Path path) {
        return URI.create(SCHEME + "://" + path.toUri().getRawPath());
    }

    @Override
    public URI getUri() {
        return ROOT;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }
}
