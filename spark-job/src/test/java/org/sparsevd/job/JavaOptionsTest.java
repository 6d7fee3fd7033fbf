package org.sparsevd.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The Java 17 options of our launchers and test JVMs are exactly the ones Spark's own launcher uses, and their JavaCPP
 * setting is the same.
 */
class JavaOptionsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void launcherAndPomCarrySparksModuleOptions() throws Exception {
        String spark = JavaModuleOptions.defaultModuleOptions();
        String sh = Files.readString(ROOT.resolve("deploy/conf/java-opens.sh"));
        Matcher m = Pattern.compile("SPARK_JAVA_OPENS=\"([^\"]*)\"").matcher(sh);
        assertTrue(m.find(), "deploy/conf/java-opens.sh defines SPARK_JAVA_OPENS");
        assertEquals(spark, m.group(1));
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher p = Pattern.compile("<spark.java.opens>([^<]*)</spark.java.opens>").matcher(pom);
        assertTrue(p.find(), "pom.xml defines spark.java.opens");
        assertEquals(spark, p.group(1));
    }

    @Test
    void launcherAndPomTurnOffJavaCppsPhysicalMemoryCheckAlike() throws Exception {
        String sh = Files.readString(ROOT.resolve("deploy/conf/java-opens.sh"));
        Matcher m = Pattern.compile("SPARSEVD_JAVA_NATIVE=\"([^\"]*)\"").matcher(sh);
        assertTrue(m.find(), "deploy/conf/java-opens.sh defines SPARSEVD_JAVA_NATIVE");
        assertEquals("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", m.group(1));
        Matcher p = Pattern.compile("<sparsevd.java.native>([^<]*)</sparsevd.java.native>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(p.find(), "pom.xml defines sparsevd.java.native");
        assertEquals(m.group(1), p.group(1));
    }
}
