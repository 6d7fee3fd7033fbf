package org.sparsevd.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the build the integration tests run (they run in deploy/, after package). */
final class DeployFiles {
    private DeployFiles() {
    }

    /** spark-job's application jar, for spark-submit. */
    static Path appJar() throws IOException {
        try (var jars = Files.list(Path.of("../spark-job/target"))) {
            return jars.filter(p -> p.getFileName().toString().endsWith("-app.jar")).findFirst().orElseThrow()
                    .toAbsolutePath();
        }
    }

    /** The --add-opens list of conf/java-opens.sh. */
    static String javaOpens() throws IOException {
        return variable("SPARK_JAVA_OPENS");
    }

    /**
     * The JVM options of sparsevd's own JVMs (executors included): the --add-opens list, the JDK modules and the speed
     * settings.
     */
    static String javaOptions() throws IOException {
        return javaOpens() + " " + variable("SPARSEVD_JAVA_MODULES") + " " + variable("SPARSEVD_JAVA_TUNING");
    }

    private static String variable(String name) throws IOException {
        String sh = Files.readString(Path.of("conf/java-opens.sh"));
        int start = sh.indexOf(name + "=\"") + name.length() + 2;
        return sh.substring(start, sh.indexOf('"', start));
    }
}
