package org.sparsevd.job.output;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a result came from: the versions of everything that computed it, and locations with any credentials
 * removed. Written into {@code run.json} next to every result.
 */
public final class Provenance {
    private Provenance() {
    }

    /** sparsevd, DL4J, Spark, Scala, Java and ND4J backend versions of this process. */
    public static Map<String, String> versions(String sparkRuntimeVersion) {
        Properties built = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/org/sparsevd/job/versions.properties")) {
            if (in != null) {
                built.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("versions.properties is unreadable", e);
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("sparsevd", built.getProperty("sparsevd", "unknown"));
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

    /** {@code uri} without user info (s3a://KEY:SECRET@bucket/...) and without a query string. */
    public static String redact(URI uri) {
        if (uri == null) {
            return null;
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + ":<redacted>";
        }
    }
}
