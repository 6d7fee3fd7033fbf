package org.sparsevd.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;
import org.sparsevd.core.simd.Lanes;

/**
 * The Java 17 options of our launchers and test JVMs are exactly the ones Spark's own launcher uses, and their speed
 * settings (JavaCPP's, the JIT's) are the same.
 */
class JavaOptionsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void launcherAndPomCarrySparksModuleOptions() throws Exception {
        String spark = JavaModuleOptions.defaultModuleOptions();
        assertEquals(spark, defined("deploy/conf/java-opens.sh", "SPARK_JAVA_OPENS=\"([^\"]*)\""));
        assertEquals(spark, defined("pom.xml", "<spark.java.opens>([^<]*)</spark.java.opens>"));
    }

    @Test
    void launcherAndPomCarryTheSameSpeedSettings() throws Exception {
        String sh = defined("deploy/conf/java-opens.sh", "SPARSEVD_JAVA_TUNING=\"([^\"]*)\"");
        assertEquals("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0 " + Lanes.JIT_OPTIONS, sh);
        assertEquals(sh, defined("pom.xml", "<sparsevd.java.tuning>([^<]*)</sparsevd.java.tuning>"));
    }

    /** The value a file of the project defines: the first group of {@code regex}'s first match in it. */
    private static String defined(String file, String regex) throws Exception {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(ROOT.resolve(file)));
        assertTrue(m.find(), file + " has no match of " + regex);
        return m.group(1);
    }
}
