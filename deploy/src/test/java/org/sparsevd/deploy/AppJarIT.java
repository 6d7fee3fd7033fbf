package org.sparsevd.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The application jar carries only the natives that load (issue 15): one ND4J CPU variant, the build's
 * {@code nd4j.classifier} (the oneDNN one by default), and no library for another operating system or CPU; and a JVM
 * with only that jar loads libnd4j from it, with oneDNN on in the oneDNN builds. CPU builds only (the gpu profile's
 * CUDA natives are not checked here: there is no GPU).
 */
class AppJarIT {
    private static final String VARIANT = System.getProperty("nd4j.classifier", "linux-x86_64-onednn");
    private static final boolean CPU_BUILD = System.getProperty("nd4j.backend", "nd4j-native").equals("nd4j-native");

    private static final Pattern ND4J_NATIVE =
            Pattern.compile("org/nd4j/linalg/cpu/nativecpu/bindings/([^/]+)/libnd4jcpu\\.so");
    private static final Pattern NATIVE_LIBRARY = Pattern.compile(".*\\.(so(\\.\\d+)*|dll|dylib|jnilib|a)");

    @Test
    void carriesOneNd4jVariantAndOnlyLinuxX8664Natives() throws Exception {
        assumeTrue(CPU_BUILD);
        List<String> variants = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        try (ZipFile jar = new ZipFile(DeployFiles.appJar().toFile())) {
            jar.stream().map(e -> e.getName()).forEach(name -> {
                Matcher nd4j = ND4J_NATIVE.matcher(name);
                if (nd4j.matches()) {
                    variants.add(nd4j.group(1));
                }
                if (NATIVE_LIBRARY.matcher(name).matches()
                        && !name.contains("/linux-x86_64/") && !name.contains("/" + VARIANT + "/")
                        && !name.contains("/linux-x86-64/")) {
                    foreign.add(name);
                }
            });
        }
        assertEquals(List.of(VARIANT), variants);
        assertEquals(List.of(), foreign);
    }

    @Test
    void loadsItsVariantFromTheJarAlone() throws Exception {
        assumeTrue(CPU_BUILD);
        String classpath = DeployFiles.appJar() + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, NativeProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        boolean onednn = VARIANT.contains("onednn");
        for (String line : List.of("lib nd4jcpu \\S*/" + Pattern.quote(VARIANT) + "/libnd4jcpu\\.so",
                "built-with-onednn " + onednn, "uses-onednn " + onednn, "blas OPENBLAS", "os .+",
                "nd4j-system-info \\d+")) {
            assertTrue(Pattern.compile("(?m)^" + line + "$").matcher(out).find(), line + " not in:\n" + out);
        }
    }
}
