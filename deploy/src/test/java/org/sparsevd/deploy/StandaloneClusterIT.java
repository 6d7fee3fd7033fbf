package org.sparsevd.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * sparsevd on a real, if small, cluster: a Spark standalone Master and two Workers as their own JVMs on 127.0.0.1
 * (started by {@code bin/local-cluster} from the Maven-resolved Spark jars), the application jar submitted through
 * Spark's own {@code SparkSubmit} in client mode with two executors, data read from and everything written to an
 * HDFS mini cluster in this JVM. The same small run three times: undisturbed; with an executor JVM killed while
 * training; with the driver killed after its first checkpoint and then resumed. All three must end with the same
 * parameters.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final List<String> TRAIN = List.of("--limit-train", "3000", "--epochs", "2",
            "--kl-zero-epochs", "1", "--kl-ramp-epochs", "1", "--workers", "2", "--sync", "average", "--averaging-frequency", "3",
            "--seed", "7");
    private static final double SAME = 1e-5;

    @TempDir
    static Path tmp;

    private static MiniDFSCluster hdfs;
    private static FileSystem fs;
    private static String hdfsRoot;
    private static Map<String, String> cluster;
    private static String master;
    private static final List<Process> drivers = new ArrayList<>();
    /** Parameters at the end of the undisturbed run. */
    private static INDArray reference;

    @BeforeAll
    static void startHdfsAndSpark() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        fs = hdfs.getFileSystem();
        hdfsRoot = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(FASHION.resolve(f).toUri()),
                    new org.apache.hadoop.fs.Path("/data/fashion-mnist/" + f));
        }

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cluster = Map.of("SPARSEVD_CLUSTER_DIR", tmp.resolve("cluster").toString(),
                "SPARSEVD_MASTER_PORT", String.valueOf(port), "SPARSEVD_MASTER_UI_PORT", "0",
                "SPARSEVD_WORKER_MEMORY", "1200m");
        Result started = run(List.of("bin/local-cluster", "start"), cluster, tmp.resolve("start.log"), 3);
        assertEquals(0, started.code(), started.output());
        master = "spark://127.0.0.1:" + port;
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            for (Process p : drivers) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            if (cluster != null) {
                List<Long> daemons = daemonPids();
                Result stopped = run(List.of("bin/local-cluster", "stop"), cluster, tmp.resolve("stop.log"), 2);
                assertEquals(0, stopped.code(), stopped.output());
                for (long pid : daemons) {
                    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                            "cluster process " + pid + " stopped");
                }
            }
        } finally {
            if (hdfs != null) {
                hdfs.shutdown(true);
            }
        }
    }

    @Test
    @Order(1)
    void trainsOnTwoExecutorsFromHdfsToHdfs() throws Exception {
        String out = "/runs/undisturbed";
        Process driver = submit(out, List.of(), "undisturbed");
        assertTrue(driver.waitFor(6, TimeUnit.MINUTES), "finished");
        assertEquals(0, driver.exitValue(), log("undisturbed"));

        assertEquals(List.of(1, 2), epochs(out), "every epoch once");
        JsonNode run = new ObjectMapper().readTree(read(out + "/run.json"));
        assertEquals(master, run.get("spark_master").asText());
        JsonNode work = run.get("examples_per_executor");
        assertEquals(2, work.size(), "two executors: " + work);
        work.forEach(n -> assertTrue(n.asLong() > 0, "both executors trained: " + work));
        assertEquals(2 * 3000, work.get("0").asLong() + work.get("1").asLong(), "2 epochs of 3000: " + work);
        assertTrue(run.get("config").get("data").get("train").asText().startsWith("hdfs://"), run.toString());
        reference = model(out).params().dup();
    }

    @Test
    @Order(2)
    void survivesAnExecutorKilledWhileTraining() throws Exception {
        String out = "/runs/executor-killed";
        Process driver = submit(out, List.of(), "executor-killed");
        // Round 2 of epoch 1: the executors are running training tasks.
        waitForLog("executor-killed", "Starting job: treeAggregate at ParameterAveragingTrainingMaster", 2);
        ProcessHandle executor = executors().get(0);
        executor.destroyForcibly();
        assertTrue(driver.waitFor(6, TimeUnit.MINUTES), "finished");
        String log = log("executor-killed");
        assertEquals(0, driver.exitValue(), log);
        assertTrue(log.contains("Lost executor"), "the driver saw the executor die:\n" + log);

        assertEquals(List.of(1, 2), epochs(out), "every epoch once");
        assertSameParameters(model(out), "a run with a killed executor");
    }

    @Test
    @Order(3)
    void driverKilledAfterACheckpointIsResumed() throws Exception {
        String out = "/runs/driver-killed";
        Process driver = submit(out, List.of(), "driver-killed");
        org.apache.hadoop.fs.Path checkpoint = new org.apache.hadoop.fs.Path(out + "/checkpoint.zip");
        for (int i = 0; i < 2400 && !fs.exists(checkpoint) && driver.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertTrue(driver.isAlive() && fs.exists(checkpoint), "epoch 1 checkpointed:\n" + log("driver-killed"));
        driver.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(out + "/run.json")), "killed before the end");

        Process resumed = submit(out, List.of("--resume"), "resumed");
        assertTrue(resumed.waitFor(6, TimeUnit.MINUTES), "finished");
        assertEquals(0, resumed.exitValue(), log("resumed"));
        assertTrue(log("resumed").contains("Resuming " + hdfsRoot + out + " after epoch"), log("resumed"));
        assertEquals(List.of(1, 2), epochs(out), "no lost or duplicated epoch");
        assertSameParameters(model(out), "a run resumed after its driver was killed");
    }

    private static void assertSameParameters(MultiLayerNetwork net, String what) {
        assertTrue(reference != null, "the undisturbed run ran first");
        double diff = net.params().sub(reference).amaxNumber().doubleValue();
        assertTrue(diff <= SAME, what + " ends " + diff + " away from the undisturbed run");
    }

    /** Starts SparkSubmit (client mode: this process is the driver) with the application jar. */
    private static Process submit(String out, List<String> extra, String name) throws IOException {
        Path sparkHome = tmp.resolve("cluster/spark-home");
        String opens = DeployFiles.javaOptions();
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx2g"));
        cmd.addAll(List.of(opens.split(" ")));
        cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit",
                "--master", master, "--deploy-mode", "client",
                "--conf", "spark.executor.extraJavaOptions=" + opens,
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.ui.enabled=false",
                // the first job waits for both workers' cores (standalone's default ratio is 0, and without
                // spark.cores.max it counts no cores: a job could start, and cache every block, on the first executor
                // that registers, and the two-executor assertion then fails)
                "--conf", "spark.cores.max=2", "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--class", "org.sparsevd.job.Main", DeployFiles.appJar().toString(),
                "train", "--data", hdfsRoot + "/data/fashion-mnist", "--output", hdfsRoot + out));
        cmd.addAll(TRAIN);
        cmd.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        drivers.add(p);
        return p;
    }

    /** The executor JVMs of the workers started by bin/local-cluster. */
    private static List<ProcessHandle> executors() throws IOException {
        List<ProcessHandle> found = new ArrayList<>();
        for (long pid : daemonPids()) {
            ProcessHandle.of(pid).ifPresent(worker -> worker.descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .forEach(found::add));
        }
        assertFalse(found.isEmpty(), "executor JVMs are running");
        return found;
    }

    private static List<Long> daemonPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(tmp.resolve("cluster"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".pid")) {
                    pids.add(Long.parseLong(Files.readString(f).trim()));
                }
            }
        }
        return pids;
    }

    private static void waitForLog(String name, String line, int times) throws Exception {
        for (int i = 0; i < 3600; i++) {
            if (log(name).split(java.util.regex.Pattern.quote(line), -1).length - 1 >= times) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + times + " x '" + line + "' in:\n" + log(name));
    }

    private static String log(String name) throws IOException {
        return Files.readString(tmp.resolve(name + ".log"));
    }

    private static List<Integer> epochs(String out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Integer> epochs = new ArrayList<>();
        for (String line : read(out + "/metrics.jsonl").split("\n")) {
            epochs.add(json.readTree(line).get("epoch").asInt());
        }
        return epochs;
    }

    private static String read(String file) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static MultiLayerNetwork model(String out) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out + "/model.zip"))) {
            return ModelSerializer.restoreMultiLayerNetwork(in, true);
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> cmd, Map<String, String> env, Path logFile, int minutes)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish in " + minutes + " minutes");
        }
        return new Result(p.exitValue(), Files.readString(logFile));
    }
}
