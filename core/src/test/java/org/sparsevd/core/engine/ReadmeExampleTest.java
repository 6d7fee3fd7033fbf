package org.sparsevd.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's Java example in README.md compiles against this build and runs on a model file. */
class ReadmeExampleTest {

    @Test
    void readmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("<!-- engine-example -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has no engine example after <!-- engine-example -->");
        Path source = dir.resolve("Classify.java");
        Files.writeString(source, m.group(1));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                source.toString());
        assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));

        Path model = dir.resolve("small.svdm");
        Files.write(model, ModelEncoder.encode(ModelFileTest.small(), Quantization.defaults()).bytes());
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            loader.loadClass("Classify").getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {model.toString()});
        } finally {
            System.setOut(stdout);
        }
        float[] p = SparseNetwork.load(model).predict(new float[][] {new float[36]})[0];
        String out = captured.toString(StandardCharsets.UTF_8).trim();
        assertTrue(out.startsWith("class " + SparseNetwork.argmax(p) + ","), out);
    }
}
