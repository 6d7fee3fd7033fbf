package org.sparsevd.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsevd.job.Main;

/**
 * {@code deploy/bin/sparsevd-submit}: the spark-submit command line it builds for each kind of master (dry run), its
 * one-line errors, and a real submission to a local master through Spark's own SparkSubmit with every security
 * setting on.
 */
class SubmitIT {
    private static final Path SUBMIT = Path.of("bin/sparsevd-submit").toAbsolutePath();

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run submit(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SUBMIT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "sparsevd-submit finished");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** The dry-run command line: spark-submit's arguments, one per line. */
    private static List<String> dryRun(Map<String, String> env, String master) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("SPARSEVD_SUBMIT_DRY_RUN", "1");
        all.putIfAbsent("SPARSEVD_APP_JAR", "/jobs/sparsevd-app.jar");
        Run r = submit(all, master, "sweep", "--spec", "hdfs:///specs/s.yaml", "--output", "hdfs:///sweeps/{date}");
        assertEquals(0, r.code(), r.err());
        return r.out().lines().toList();
    }

    private static void assertConf(List<String> args, String conf) {
        assertTrue(args.contains(conf), conf + " in " + args);
    }

    private static void assertCommon(List<String> args, String jar) throws IOException {
        assertEquals(Main.class.getName(), args.get(args.indexOf("--class") + 1));
        String options = DeployFiles.javaOptions();
        assertConf(args, "spark.driver.extraJavaOptions=" + options);
        assertConf(args, "spark.executor.extraJavaOptions=" + options);
        assertConf(args, "spark.executorEnv.OMP_NUM_THREADS=1");
        assertConf(args, "spark.executorEnv.SPARSEVD_BLAS_THREADS=1");
        assertConf(args, "spark.authenticate=true");
        assertConf(args, "spark.network.crypto.enabled=true");
        assertConf(args, "spark.io.encryption.enabled=true");
        int j = args.indexOf(jar);
        assertTrue(j > 0, jar + " in " + args);
        assertEquals(List.of("sweep", "--spec", "hdfs:///specs/s.yaml", "--output", "hdfs:///sweeps/{date}"),
                args.subList(j + 1, args.size()), "the command follows the jar unchanged");
    }

    @Test
    void commandLinesForEachMaster() throws Exception {
        List<String> yarn = dryRun(Map.of("SPARK_HOME", "/opt/spark"), "yarn");
        assertEquals("/opt/spark/bin/spark-submit", yarn.get(0));
        assertCommon(yarn, "/jobs/sparsevd-app.jar");
        assertEquals("cluster", yarn.get(yarn.indexOf("--deploy-mode") + 1));
        assertConf(yarn, "spark.yarn.appMasterEnv.OMP_NUM_THREADS=1");

        List<String> k8s = dryRun(Map.of("SPARSEVD_IMAGE", "registry/sparsevd:1", "SPARSEVD_APP_JAR", ""),
                "k8s://https://kube:6443");
        assertCommon(k8s, "local:///opt/sparsevd/sparsevd-spark-job-app.jar");
        assertConf(k8s, "spark.kubernetes.container.image=registry/sparsevd:1");
        assertConf(k8s, "spark.kubernetes.driverEnv.OMP_NUM_THREADS=1");
        assertConf(k8s, "spark.kubernetes.authenticate.driver.serviceAccountName=sparsevd");

        Path secret = Files.writeString(tmp.resolve("secret"), "s3cr3t-value-never-printed\n");
        List<String> standalone = dryRun(Map.of("SPARSEVD_AUTH_SECRET_FILE", secret.toString(),
                "SPARSEVD_TASK_THREADS", "2"), "spark://master:7077");
        assertEquals("client", standalone.get(standalone.indexOf("--deploy-mode") + 1));
        assertConf(standalone, "spark.executorEnv.OMP_NUM_THREADS=2");
        assertFalse(String.join(" ", standalone).contains("s3cr3t"), "the secret is not on the command line");
        Path properties = Path.of(standalone.get(standalone.indexOf("--properties-file") + 1));
        assertFalse(Files.exists(properties), "the private properties file is removed");

        List<String> local = dryRun(Map.of(), "local[2]");
        assertCommon(local, "/jobs/sparsevd-app.jar");
    }

    @Test
    void badSubmissionsAreOneLineErrors() throws Exception {
        Run r = submit(Map.of(), "mesos://old:5050", "train");
        assertEquals(2, r.code());
        assertEquals("sparsevd-submit: error: unknown master 'mesos://old:5050' (local[N], spark://HOST:PORT, yarn "
                + "or k8s://URL)", r.err().strip());
        r = submit(Map.of("SPARSEVD_SUBMIT_DRY_RUN", "1"), "spark://master:7077", "train");
        assertEquals(2, r.code());
        assertTrue(r.err().strip().startsWith("sparsevd-submit: error: a standalone master needs the cluster's "
                + "shared secret"), r.err());
        r = submit(Map.of("SPARSEVD_SUBMIT_DRY_RUN", "1"), "k8s://https://kube:6443", "train");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("set SPARSEVD_IMAGE"), r.err());
        r = submit(Map.of("SPARSEVD_SUBMIT_DRY_RUN", "1", "SPARSEVD_TASK_THREADS", "0"), "yarn", "train");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("SPARSEVD_TASK_THREADS must be a positive integer, got '0'"), r.err());
    }

    /**
     * A real submission to a local master with authentication and RPC/IO encryption on. SPARK_HOME is a stand-in
     * whose bin/spark-submit runs Spark's own SparkSubmit from the Maven jars (as LauncherIT does).
     */
    @Test
    void localSubmissionTrainsWithTheSecuritySettings() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("spark/bin"));
        Path sparkSubmit = bin.resolve("spark-submit");
        Files.writeString(sparkSubmit, "#!/usr/bin/env bash\nexec java -Xmx3g " + DeployFiles.javaOptions()
                + " -cp '" + Path.of("target/lib").toAbsolutePath() + "/*' org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        Files.setPosixFilePermissions(sparkSubmit, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = tmp.resolve("run");
        Run r = submit(Map.of("SPARK_HOME", tmp.resolve("spark").toString(), "SPARSEVD_DRIVER_MEMORY", "3g"),
                "local[2]", "train", "--data", "/usr/share/datasets/fashion-mnist", "--output", out.toString(),
                "--limit-train", "500", "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        String run = Files.readString(out.resolve("run.json"));
        assertTrue(run.contains("\"spark_master\" : \"local[2]\""), run);
    }
}
