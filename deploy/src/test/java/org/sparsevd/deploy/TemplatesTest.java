package org.sparsevd.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sparsevd.job.Main;
import org.sparsevd.job.cli.SweepCommand;
import picocli.CommandLine;

/**
 * The scheduling templates parse and agree with the code: the real main class and jar, Spark's version, the Java 17
 * options of conf/java-opens.sh, the ND4J thread settings, the security defaults, and no credentials.
 */
class TemplatesTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String SPARK_VERSION = org.apache.spark.package$.MODULE$.SPARK_VERSION();

    private static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(Path.of(file).toFile());
    }

    /** The jar path of the Dockerfile's COPY of the application jar. */
    private static String imageJar() throws IOException {
        Matcher m = Pattern.compile("(?m)^COPY spark-job/target/sparsevd-spark-job-\\*-app\\.jar (\\S+)$")
                .matcher(Files.readString(Path.of("docker/Dockerfile")));
        assertTrue(m.find(), "the Dockerfile copies the application jar");
        return m.group(1);
    }

    @Test
    void sparkApplicationRunsTheSweepFromTheImage() throws IOException {
        JsonNode app = yaml("k8s/sparkapplication.yaml");
        assertEquals("sparkoperator.k8s.io/v1beta2", app.get("apiVersion").asText());
        assertEquals("SparkApplication", app.get("kind").asText());
        checkSpec(app.get("spec"));
    }

    @Test
    void scheduledApplicationRunsTheSameSpecNightlyWithoutOverlap() throws IOException {
        JsonNode scheduled = yaml("k8s/scheduledsparkapplication.yaml");
        assertEquals("ScheduledSparkApplication", scheduled.get("kind").asText());
        assertEquals(5, scheduled.at("/spec/schedule").asText().split(" ").length, "a cron schedule");
        assertEquals("Forbid", scheduled.at("/spec/concurrencyPolicy").asText());
        assertEquals(yaml("k8s/sparkapplication.yaml").get("spec"), scheduled.at("/spec/template"),
                "the scheduled template is the SparkApplication's spec");
        checkSpec(scheduled.at("/spec/template"));
    }

    private static void checkSpec(JsonNode spec) throws IOException {
        assertEquals(Main.class.getName(), spec.get("mainClass").asText());
        assertEquals("local://" + imageJar(), spec.get("mainApplicationFile").asText());
        assertEquals(SPARK_VERSION, spec.get("sparkVersion").asText());
        assertEquals("Java", spec.get("type").asText());
        JsonNode conf = spec.get("sparkConf");
        assertEquals(DeployFiles.javaOptions(), conf.get("spark.driver.extraJavaOptions").asText());
        assertEquals(DeployFiles.javaOptions(), conf.get("spark.executor.extraJavaOptions").asText());
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS").asText());
        assertEquals("1", conf.get("spark.executorEnv.SPARSEVD_BLAS_THREADS").asText());
        for (String on : List.of("spark.authenticate", "spark.network.crypto.enabled", "spark.io.encryption.enabled")) {
            assertEquals("true", conf.get(on).asText(), on);
        }
        for (String pod : List.of("driver", "executor")) {
            Map<String, String> env = new HashMap<>();
            spec.get(pod).get("env").forEach(e -> env.put(e.get("name").asText(), e.get("value").asText()));
            assertEquals("1", env.get("OMP_NUM_THREADS"), pod);
            assertEquals("1", env.get("SPARSEVD_BLAS_THREADS"), pod);
            assertTrue(spec.get(pod).at("/securityContext/runAsNonRoot").asBoolean(), pod + " runs as non-root");
            assertFalse(spec.get(pod).at("/envFrom/0/secretRef/name").asText().isEmpty(),
                    pod + " takes credentials from a Secret");
        }

        // The arguments are a valid sweep command line whose spec file is the mounted ConfigMap.
        List<String> args = new ArrayList<>();
        spec.get("arguments").forEach(a -> args.add(a.asText()));
        assertEquals("sweep", args.get(0));
        String specPath = args.get(args.indexOf("--spec") + 1);
        JsonNode mount = spec.at("/driver/volumeMounts/0");
        assertEquals(mount.get("mountPath").asText() + "/sweep.yaml", specPath);
        assertEquals(spec.at("/volumes/0/name"), mount.get("name"));
        JsonNode configMap = yaml("k8s/sweep-spec.yaml");
        assertEquals(spec.at("/volumes/0/configMap/name").asText(), configMap.at("/metadata/name").asText());
        CommandLine sweep = new CommandLine(new SweepCommand());
        sweep.parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        JsonNode sweepSpec = YAML.readTree(configMap.at("/data/sweep.yaml").asText());
        sweepSpec.fieldNames().forEachRemaining(key -> assertNotNull(
                sweep.getCommandSpec().findOption("--" + key), "ConfigMap key " + key + " is a sweep option"));
        assertTrue(sweepSpec.has("kl-weights") && sweepSpec.has("thresholds"));

        JsonNode rbac = YAML.readValues(YAML.getFactory().createParser(Path.of("k8s/rbac.yaml").toFile()),
                JsonNode.class).readAll().stream().filter(d -> d.get("kind").asText().equals("ServiceAccount"))
                .findFirst().orElseThrow();
        assertEquals(rbac.at("/metadata/name").asText(), spec.at("/driver/serviceAccount").asText());
    }

    @Test
    void noTemplateHoldsCredentials() throws IOException {
        Pattern literalSecret = Pattern.compile("(?i)(AKIA[0-9A-Z]{12,}|(password|secret|access.?key)\\s*[:=]\\s*"
                + "[\"']?[A-Za-z0-9/+]{8,})");
        for (String file : List.of("k8s/sparkapplication.yaml", "k8s/scheduledsparkapplication.yaml",
                "k8s/sweep-spec.yaml", "k8s/rbac.yaml", "docker/Dockerfile", "conf/spark-defaults.conf.template",
                "cron/sparsevd-nightly-sweep.cron", "bin/sparsevd-submit")) {
            String text = Files.readString(Path.of(file));
            Matcher m = literalSecret.matcher(text);
            assertFalse(m.find(), file + " holds what looks like a credential: " + (m.hitEnd() ? "" : m.group()));
            assertFalse(text.matches("(?s).*://[^/\\s:@]+:[^/\\s@]+@.*"), file + " has a URI with credentials");
        }
    }

    @Test
    void dockerfileBuildsOnSparksJava17ImageAndRunsAsNonRoot() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docker/Dockerfile"));
        String from = lines.stream().filter(l -> l.startsWith("FROM ")).findFirst().orElseThrow();
        assertEquals("FROM apache/spark:" + SPARK_VERSION + "-scala2.12-java17-ubuntu", from);
        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertEquals("USER 185", user, "the last USER is the image's non-root spark user");
        assertTrue(imageJar().startsWith("/opt/sparsevd/"));
    }

    @Test
    void dockerImageHoldsEveryFileTheGpuSettingsName() throws IOException {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
        Matcher named = Pattern.compile("/opt/sparsevd/(\\S+)").matcher(Files.readString(Path.of("conf/spark-gpu.conf")));
        assertTrue(named.find(), "spark-gpu.conf names the image's discovery script");
        do {
            String file = named.group(1);
            String dir = file.substring(0, file.lastIndexOf('/') + 1);
            assertTrue(dockerfile.contains("COPY deploy/" + file + " /opt/sparsevd/" + dir + "\n"),
                    "the Dockerfile copies " + file + " into /opt/sparsevd/" + dir);
        } while (named.find());
        // gpu-discovery sources the guard from ../conf.
        assertTrue(dockerfile.contains("COPY deploy/conf/gpu-guard.sh /opt/sparsevd/conf/\n"));
    }

    @Test
    void sparkDefaultsTemplateCarriesTheRequiredSettings() throws IOException {
        Map<String, String> conf = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("conf/spark-defaults.conf.template"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.trim().split("\\s+", 2);
                assertEquals(2, kv.length, "key and value: " + line);
                conf.put(kv[0], kv[1]);
            }
        }
        assertEquals(DeployFiles.javaOptions(), conf.get("spark.driver.extraJavaOptions"));
        assertEquals(DeployFiles.javaOptions(), conf.get("spark.executor.extraJavaOptions"));
        for (String on : List.of("spark.authenticate", "spark.network.crypto.enabled", "spark.io.encryption.enabled")) {
            assertEquals("true", conf.get(on), on);
        }
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("1", conf.get("spark.executorEnv.SPARSEVD_BLAS_THREADS"));
        assertFalse(conf.containsKey("spark.authenticate.secret"), "the secret is never in the template");
    }

    @Test
    void cronLinesAreValidAndCannotOverlap() throws IOException {
        List<String> jobs = Files.readAllLines(Path.of("cron/sparsevd-nightly-sweep.cron")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.matches("^[A-Z_]+=.*")).toList();
        assertFalse(jobs.isEmpty());
        for (String job : jobs) {
            String[] f = job.split("\\s+", 7);
            for (int i = 0; i < 5; i++) {
                assertTrue(f[i].matches("[0-9*/,-]+"), "schedule field " + f[i] + " of " + job);
            }
            assertEquals("sparsevd", f[5], "runs as the sparsevd user");
            String command = f[6];
            assertFalse(command.replace("\\%", "").contains("%"), "cron needs every % escaped: " + command);
            assertTrue(command.startsWith("flock -n "), "no overlapping sweeps: " + command);
            assertTrue(command.contains("/deploy/bin/sparsevd-submit yarn sweep --spec "), command);
            assertTrue(command.contains("{date}"), "one output per night: " + command);
        }
    }
}
