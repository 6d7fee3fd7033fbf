package org.sparsevd.job.output;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.datasets.SourceNames;

/**
 * Where a result came from: the versions of everything that computed it, and locations with any credentials
 * removed. Written into {@code run.json} next to every result.
 */
public final class Provenance {
    private Provenance() {
    }

    /** sparsevd (with its commit), DL4J, Spark, Scala, Java and ND4J backend versions of this process. */
    public static Map<String, String> versions(String sparkRuntimeVersion) {
        Properties built = built("versions.properties");
        Map<String, String> v = new LinkedHashMap<>();
        v.put("sparsevd", built.getProperty("sparsevd", "unknown"));
        v.put("sparsevd_commit", commit());
        v.put("dl4j", built.getProperty("dl4j", "unknown"));
        v.put("dl4j_spark", built.getProperty("dl4j-spark", "unknown"));
        v.put("spark", sparkRuntimeVersion);
        v.put("scala", scala.util.Properties.versionNumberString());
        v.put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.version"));
        v.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName() + " ("
                + built.getProperty("nd4j-classifier", "unknown") + ")");
        v.put("blas", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return v;
    }

    /** {@code sparsevd VERSION, commit COMMIT}: what {@code sparsevd --version} prints. */
    public static String build() {
        return "sparsevd " + built("versions.properties").getProperty("sparsevd", "unknown") + ", commit " + commit();
    }

    /**
     * The git commit this build was made from ({@code commit.properties}, written by the build), marked when the
     * working tree had uncommitted changes; {@code unknown (built without git)} for a build made without git or
     * outside a repository.
     */
    static String commit() {
        Properties commit = built("commit.properties");
        String id = commit.getProperty("git-commit", "").trim();
        if (id.isEmpty()) {
            return "unknown (built without git)";
        }
        return id + (Boolean.parseBoolean(commit.getProperty("git-dirty")) ? " (with uncommitted changes)" : "");
    }

    private static Properties built(String resource) {
        Properties built = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/org/sparsevd/job/" + resource)) {
            if (in != null) {
                built.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException(resource + " is unreadable", e);
        }
        return built;
    }

    /** {@code uri} without credentials (user info, query string): {@link SourceNames#redact}. */
    public static String redact(URI uri) {
        return uri == null ? null : SourceNames.redact(uri.toString());
    }
}
