package org.sparsevd.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.datasets.IdxDataset;
import org.sparsevd.job.CifarFiles;
import org.sparsevd.job.Main;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.output.Checkpoint;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.output.RunOutput;
import org.sparsevd.job.train.Models;
import picocli.CommandLine;

/**
 * Bad input to {@code sparsevd train}, as one corpus: every kind gives one line on stderr naming the problem, a
 * non-zero exit code, and leaves every existing file as it was (and creates none). All of the corpus fails before
 * Spark starts, so it is fast; the three settings {@code --sync allreduce} cannot run with start it. The data are
 * small IDX files in the real format, written here.
 */
class TrainCommandTest {
    private static final int TRAIN = 200;
    private static final int TEST = 50;

    @TempDir
    Path tmp;

    private record Result(int code, String err) {
    }

    /** Prepares the files of one kind of bad input under {@code tmp} and returns the train arguments. */
    @FunctionalInterface
    private interface Setup {
        List<String> args(Path tmp) throws IOException;
    }

    /** One kind of bad input, its exit code and a part of its one-line message. */
    private record BadInput(String kind, Setup setup, int code, String message) {
        @Override
        public String toString() {
            return kind;
        }
    }

    private static Result train(List<String> args) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(args);
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), all.toArray(String[]::new));
        return new Result(code, err.toString());
    }

    static List<BadInput> corpus() {
        int usage = UserErrors.BAD_USAGE;
        int failed = UserErrors.FAILED;
        return List.of(
                // Data files.
                new BadInput("truncated images file", t -> withData(t, d -> write(d, IdxDataset.TRAIN_IMAGES,
                        Arrays.copyOf(images(TRAIN, 28, 28), 16 + 784 * 10))), failed, "truncated"),
                new BadInput("empty labels file", t -> withData(t, d -> write(d, IdxDataset.TRAIN_LABELS,
                        new byte[0])), failed, "empty file"),
                new BadInput("wrong magic: images file given as labels", t -> withData(t, d -> write(d,
                        IdxDataset.TRAIN_LABELS, images(TRAIN, 28, 28))), failed, "bad magic number 0x00000803"),
                new BadInput("not IDX at all", t -> withData(t, d -> write(d, IdxDataset.TEST_IMAGES,
                        "<html>404</html>".getBytes(StandardCharsets.UTF_8))), failed, "t10k-images-idx3-ubyte"),
                new BadInput("corrupt gzip", t -> withData(t, d -> {
                    Files.delete(d.resolve(IdxDataset.TRAIN_IMAGES));
                    byte[] gz = gzip(images(TRAIN, 28, 28));
                    write(d, IdxDataset.TRAIN_IMAGES + ".gz", Arrays.copyOf(gz, gz.length / 2));
                }), failed, "train-images-idx3-ubyte.gz"),
                new BadInput("image/label count mismatch", t -> withData(t, d -> write(d, IdxDataset.TRAIN_LABELS,
                        labels(TRAIN - 1, 0))), failed, "has 199 labels but"),
                new BadInput("label out of range", t -> withData(t, d -> write(d, IdxDataset.TRAIN_LABELS,
                        labels(TRAIN, 12))), failed, "label 12 at index 0 is out of range [0, 10)"),
                new BadInput("wrong image size for the model", t -> withData(t, d -> {
                    write(d, IdxDataset.TRAIN_IMAGES, images(TRAIN, 14, 14));
                    write(d, IdxDataset.TEST_IMAGES, images(TEST, 14, 14));
                }), usage, "--model lenet300 expects 28x28 images with 1 channel, but "),
                new BadInput("CIFAR-10 data for lenet300", t -> args(CifarFiles.write(t.resolve("cifar"), 4, 4, 1),
                        t.resolve("out"), "--dataset", "cifar10"), usage, "--model lenet300 expects 28x28 images "
                        + "with 1 channel, but "),
                new BadInput("IDX data for vgglike", t -> args(data(t), t.resolve("out"), "--model", "vgglike",
                        "--dataset", "idx"), usage, "--model vgglike expects 32x32 images with 3 channels, but "),
                new BadInput("IDX directory where alexnet expects CIFAR-10", t -> args(data(t), t.resolve("out"),
                        "--model", "alexnet"), failed, "missing data_batch_1.bin"),
                new BadInput("--test-data with CIFAR-10", t -> args(data(t), t.resolve("out"), "--model", "alexnet",
                        "--test-data", t.toString()), usage, "--test-data is for IDX data only"),
                new BadInput("test images of another size than training images", t -> withData(t, d -> write(d,
                        IdxDataset.TEST_IMAGES, images(TEST, 32, 32))), failed, "images are 32x32"),
                // Paths.
                new BadInput("nonexistent data directory", t -> args(t.resolve("nowhere"), t.resolve("out")),
                        failed, "nowhere"),
                new BadInput("data path is a file", t -> args(Files.writeString(t.resolve("data.txt"), "x"),
                        t.resolve("out")), failed, "not a directory"),
                new BadInput("unreadable data file (a directory in its place)", t -> withData(t, d -> {
                    Files.delete(d.resolve(IdxDataset.TRAIN_LABELS));
                    Files.createDirectories(d.resolve(IdxDataset.TRAIN_LABELS + ".gz"));
                }), failed, "train-labels-idx1-ubyte"),
                new BadInput("data URI of an unknown file system", t -> args("nofs://host/data",
                        t.resolve("out").toString()), failed, "nofs"),
                new BadInput("output path is a file", t -> {
                    Path data = data(t);
                    return args(data, Files.writeString(t.resolve("taken"), "precious"));
                }, failed, "exists and is a file"),
                new BadInput("output directory of another run", t -> {
                    Path data = data(t);
                    Path out = Files.createDirectories(t.resolve("previous-run"));
                    Files.writeString(out.resolve("metrics.jsonl"), "{}\n");
                    return args(data, out);
                }, failed, "already exists and is not empty"),
                // Numbers and options.
                new BadInput("unparseable number", t -> args(data(t), t.resolve("out"), "--epochs", "ten"),
                        usage, "'ten'"),
                new BadInput("negative KL weight", t -> args(data(t), t.resolve("out"), "--kl-weight", "-1"),
                        usage, "--kl-weight must be a finite number >= 0, got -1.0"),
                new BadInput("NaN KL weight", t -> args(data(t), t.resolve("out"), "--kl-weight", "NaN"),
                        usage, "--kl-weight must be a finite number >= 0, got NaN"),
                new BadInput("NaN threshold", t -> args(data(t), t.resolve("out"), "--threshold", "NaN"),
                        usage, "--threshold must be a finite number, got NaN"),
                new BadInput("zero epochs", t -> args(data(t), t.resolve("out"), "--epochs", "0"),
                        usage, "--epochs must be at least 1, got 0"),
                new BadInput("zero learning rate", t -> args(data(t), t.resolve("out"), "--lr", "0"),
                        usage, "--lr must be a finite number > 0, got 0.0"),
                new BadInput("zero workers", t -> args(data(t), t.resolve("out"), "--workers", "0"),
                        usage, "--workers must be at least 1, got 0"),
                new BadInput("negative batch size", t -> args(data(t), t.resolve("out"), "--batch-size", "-5"),
                        usage, "--batch-size must be at least 1, got -5"),
                new BadInput("batch size not a multiple of the workers", t -> args(data(t), t.resolve("out"),
                        "--workers", "8"), usage, "--batch-size 100 (the global minibatch) must be a multiple of "
                        + "--workers 8 so that every worker fits an equal share; use 96 or 104"),
                new BadInput("negative subset", t -> args(data(t), t.resolve("out"), "--limit-train", "-1"),
                        usage, "--limit-train must be 0 or more, got -1"),
                new BadInput("unknown model", t -> args(data(t), t.resolve("out"), "--model", "resnet"),
                        usage, "--model: unknown model 'resnet'"),
                new BadInput("unknown schedule", t -> args(data(t), t.resolve("out"), "--lr-decay", "cosine"),
                        usage, "--lr-decay must be 'constant' or 'linear', got 'cosine'"),
                new BadInput("threshold above --log-alpha-max", t -> args(data(t), t.resolve("out"), "--threshold",
                        "9"), usage, "--threshold 9 is outside (--log-alpha-min -8, --log-alpha-max 8]: log alpha is "
                        + "clipped to that range, so no weight would ever be pruned"),
                new BadInput("threshold at --log-alpha-min", t -> args(data(t), t.resolve("out"), "--threshold",
                        "-1", "--log-alpha-min", "-1"), usage, "--threshold -1 is outside (--log-alpha-min -1, "
                        + "--log-alpha-max 8]: log alpha is clipped to that range, so every weight would be pruned"),
                new BadInput("empty log alpha range", t -> args(data(t), t.resolve("out"), "--log-alpha-min", "9"),
                        usage, "--log-alpha-min (9.0) must be below --log-alpha-max (8.0)"),
                new BadInput("random-label fraction above 1", t -> args(data(t), t.resolve("out"),
                        "--random-labels", "1.5"), usage, "--random-labels must be a fraction in [0, 1], got 1.5"),
                new BadInput("negative random-label fraction", t -> args(data(t), t.resolve("out"),
                        "--random-labels", "-0.1"), usage, "--random-labels must be a fraction in [0, 1], got -0.1"),
                new BadInput("negative validation", t -> args(data(t), t.resolve("out"), "--validation", "-3"),
                        usage, "--validation must be a count of examples (a whole number, at least 1), a fraction in "
                        + "(0, 1), or 0 for none, got -3"),
                new BadInput("fractional validation count", t -> args(data(t), t.resolve("out"), "--validation",
                        "12.5"), usage, "--validation must be a count of examples (a whole number, at least 1), a "
                        + "fraction in (0, 1), or 0 for none, got 12.5"),
                new BadInput("validation of the whole training set", t -> args(data(t), t.resolve("out"),
                        "--validation", String.valueOf(TRAIN)), usage, "--validation " + TRAIN + ": cannot hold out "
                        + TRAIN + " of " + TRAIN + " examples in "),
                new BadInput("validation larger than the --limit-train subset", t -> args(data(t), t.resolve("out"),
                        "--limit-train", "50", "--validation", "45"), usage, "--validation 45: cannot hold out 45 of "
                        + "50 examples in "),
                new BadInput("unknown variant", t -> args(data(t), t.resolve("out"), "--variant", "bayes"),
                        usage, "--variant: unknown variant 'bayes' (known: sparsevd, plain, dropout)"),
                new BadInput("dropout probability 1", t -> args(data(t), t.resolve("out"), "--dropout", "1"),
                        usage, "--dropout must be a probability in [0, 1), got 1.0"),
                new BadInput("--width for lenet300", t -> args(data(t), t.resolve("out"), "--width", "2"),
                        usage, "--width applies to --model vgglike only, got --width 2.0 with --model lenet300"),
                new BadInput("zero width", t -> args(data(t), t.resolve("out"), "--width", "0"),
                        usage, "--width must be a finite number > 0, got 0.0"),
                new BadInput("unknown dataset format", t -> args(data(t), t.resolve("out"), "--dataset", "png"),
                        usage, "--dataset must be one of auto, idx, cifar10, got 'png'"),
                // Pretrained models.
                new BadInput("--init-from a missing file", t -> args(data(t), t.resolve("out"), "--init-from",
                        t.resolve("missing.zip").toString()), usage, "missing.zip: no such file"),
                new BadInput("--init-from a network of another architecture", t -> {
                    MultiLayerNetwork lenet300 = new MultiLayerNetwork(Lenet300.plain(ArchitectureSettings.defaults(10)));
                    lenet300.init();
                    Path model = t.resolve("lenet300.zip");
                    ModelSerializer.writeModel(lenet300, model.toFile(), false);
                    return args(data(t), t.resolve("out"), "--model", "lenet5", "--init-from", model.toString());
                }, usage, "is not a network of this architecture: its layers with parameters are"),
                new BadInput("--averaging-frequency with --sync allreduce", t -> args(data(t), t.resolve("out"),
                        "--sync", "allreduce", "--averaging-frequency", "5"), usage, "--averaging-frequency 5 applies to --sync average "
                        + "only"),
                new BadInput("unknown --sync", t -> args(data(t), t.resolve("out"), "--sync", "gossip"), usage,
                        "--sync gossip: must be one of allreduce, average"),
                new BadInput("misspelt option", t -> args(data(t), t.resolve("out"), "--klweight", "1"),
                        usage, "--klweight"),
                // Checkpoints.
                new BadInput("--resume without an output directory", t -> args(data(t), t.resolve("out"),
                        "--resume"), failed, "does not exist: there is no run to resume"),
                new BadInput("--resume without a checkpoint", t -> {
                    Path out = Files.createDirectories(t.resolve("out"));
                    Files.writeString(out.resolve("metrics.jsonl"), "");
                    return args(data(t), out, "--resume");
                }, failed, "has no checkpoint.zip"),
                new BadInput("--resume from a truncated checkpoint (found by the zip's CRCs)", t -> {
                    List<String> args = withCheckpoint(t, List.of());
                    Path cp = t.resolve("out").resolve(RunFiles.CHECKPOINT);
                    Files.write(cp, Arrays.copyOf(Files.readAllBytes(cp), (int) Files.size(cp) / 2));
                    Files.delete(cp.resolveSibling("." + RunFiles.CHECKPOINT + ".crc"));
                    return args;
                }, failed, "checkpoint.zip is corrupt (Unexpected end of ZLIB input stream)"),
                new BadInput("--resume from a changed checkpoint (found by Hadoop's checksums)", t -> {
                    List<String> args = withCheckpoint(t, List.of());
                    Files.writeString(t.resolve("out").resolve(RunFiles.CHECKPOINT), "not a zip");
                    return args;
                }, failed, "checkpoint.zip is corrupt or unreadable"),
                new BadInput("--resume from the checkpoint of another run", t -> {
                    return withCheckpoint(t, List.of("--seed", "3", "--log-sigma2-init", "-8"), "--seed", "4");
                }, usage, "belongs to another run; it differs in model.log_sigma2_init (checkpoint -8.0, now -10.0),"
                        + " seed (checkpoint 3, now 4)"),
                new BadInput("--resume of a checkpoint from before --sync (averaging) with --sync allreduce", t -> {
                    List<String> args = withCheckpoint(t, List.of("--sync", "average"), "--sync", "allreduce");
                    withoutSync(t.resolve("out").resolve(RunFiles.CHECKPOINT));
                    return args;
                }, usage, "cluster.sync (checkpoint \"average\", now \"allreduce\")"),
                new BadInput("--resume of a completed run", t -> {
                    List<String> args = withCheckpoint(t, List.of());
                    Files.writeString(t.resolve("out").resolve("run.json"), "{\"status\": \"completed\"}");
                    return args;
                }, usage, "is a completed run of 1 epochs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badInputGivesOneLineANonZeroExitAndChangesNothing(BadInput bad) throws IOException {
        List<String> args = bad.setup().args(tmp);
        Map<Path, String> before = snapshot(tmp);
        Result r = train(args);

        assertEquals(bad.code(), r.code(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("sparsevd train: error: "), r.err());
        assertTrue(first.contains(bad.message()), "'" + first + "' should mention '" + bad.message() + "'");
        long lines = r.err().lines().count();
        assertTrue(lines == 1 || lines == 2 && r.err().lines().skip(1).findFirst().orElse("").startsWith("Run '"),
                "one line (and the --help hint for a bad command line): " + r.err());
        assertEquals(before, snapshot(tmp), "no file created, changed or removed");
    }

    /**
     * What Spark cannot run as {@code --sync allreduce} (barrier stages of all the workers at once, gradients
     * exchanged through RPC): one line naming the setting and {@code --sync average}, exit 2, no file left. These
     * start Spark (the checks need its task slots and settings); {@code spark.*} system properties stand for the
     * cluster's settings.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sparkCannotAllReduce")
    void allReduceRefusesWhatSparkCannotRun(String kind, Map<String, String> sparkSettings, List<String> extra,
                                            String message) throws IOException {
        List<String> args = args(data(tmp), tmp.resolve("out"), "--limit-train", "100", "--sync", "allreduce");
        args.addAll(extra);
        Map<Path, String> before = snapshot(tmp);
        sparkSettings.forEach(System::setProperty);
        Result r;
        try {
            r = train(args);
        } finally {
            sparkSettings.keySet().forEach(System::clearProperty);
        }
        assertEquals(UserErrors.BAD_USAGE, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("sparsevd train: error: --sync allreduce "), r.err());
        assertTrue(r.err().contains(message) && r.err().contains("--sync average"), r.err());
        assertEquals(before, snapshot(tmp), "no file created, changed or removed");
    }

    static List<org.junit.jupiter.params.provider.Arguments> sparkCannotAllReduce() {
        return List.of(
                org.junit.jupiter.params.provider.Arguments.of("more workers than task slots", Map.of(),
                        List.of("--workers", "4", "--master", "local[2]"), "but Spark has 2 task slots"),
                org.junit.jupiter.params.provider.Arguments.of("dynamic allocation",
                        Map.of("spark.dynamicAllocation.enabled", "true"), List.of("--workers", "2"),
                        "spark.dynamicAllocation.enabled=true"),
                org.junit.jupiter.params.provider.Arguments.of("a hub port out of range",
                        Map.of("spark.sparsevd.allreduce.port", "70000"), List.of("--workers", "2"),
                        "needs spark.sparsevd.allreduce.port in 0..65535"));
    }

    /** Every file and directory under {@code root} with a digest of its content. */
    static Map<Path, String> snapshot(Path root) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                files.put(root.relativize(p), Files.isDirectory(p) ? "dir"
                        : java.util.HexFormat.of().formatHex(sha256(Files.readAllBytes(p))));
            }
        }
        return files;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> args(Object data, Object out, String... extra) {
        List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--output", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    /** A valid data set in {@code tmp/data}, changed by {@code change}, and the arguments to train on it. */
    private static List<String> withData(Path tmp, DataChange change) throws IOException {
        Path data = data(tmp);
        change.apply(data);
        return args(data, tmp.resolve("out"));
    }

    @FunctionalInterface
    private interface DataChange {
        void apply(Path dir) throws IOException;
    }

    /** A valid, small data set in the four standard IDX files. */
    private static Path data(Path tmp) throws IOException {
        Path dir = tmp.resolve("data");
        if (!Files.isDirectory(dir)) {
            write(dir, IdxDataset.TRAIN_IMAGES, images(TRAIN, 28, 28));
            write(dir, IdxDataset.TRAIN_LABELS, labels(TRAIN, 0));
            write(dir, IdxDataset.TEST_IMAGES, images(TEST, 28, 28));
            write(dir, IdxDataset.TEST_LABELS, labels(TEST, 0));
        }
        return dir;
    }

    /**
     * The arguments resuming, with {@code resumedWith}, a run on valid data whose output holds the checkpoint of its
     * first epoch, written by a run with {@code writtenWith}.
     */
    private static List<String> withCheckpoint(Path tmp, List<String> writtenWith, String... resumedWith)
            throws IOException {
        List<String> args = args(data(tmp), tmp.resolve("out"), "--epochs", "1");
        List<String> written = new ArrayList<>(args);
        written.addAll(writtenWith);
        TrainOptions o = new TrainOptions();
        new CommandLine(o).parseArgs(written.toArray(String[]::new));
        TrainConfig config = o.config();
        RunOutput output = RunOutput.create(config.output(), new Configuration());
        EpochMetrics m = new EpochMetrics(1, 1, 1, 0, 1e-3, 0.5, 10, 0.5, TRAIN, null, 0.5, 1,
                List.of(new LayerMetrics("dense1", 10, 5, 0.5, 1, -3.0, null)), 0.5, 1.0);
        new Checkpoint(1, 1, List.of(m), Models.build(config, TRAIN))
                .writeTo(output, config, TRAIN);
        args.addAll(List.of(resumedWith));
        args.add("--resume");
        return args;
    }

    /** Rewrites {@code checkpoint} as a run from before {@code --sync} wrote it: no {@code cluster.sync}. */
    private static void withoutSync(Path checkpoint) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(checkpoint))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        ObjectNode state = (ObjectNode) new ObjectMapper().readTree(entries.get("state.json"));
        assertTrue(((ObjectNode) state.get("config").get("cluster")).remove("sync") != null, "a sync to remove");
        entries.put("state.json", new ObjectMapper().writeValueAsBytes(state));
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(checkpoint))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        Files.delete(checkpoint.resolveSibling("." + checkpoint.getFileName() + ".crc"));
    }

    /** An IDX images file of {@code n} images of rows x columns pixels. */
    static byte[] images(int n, int rows, int columns) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * columns);
        b.putInt(0x00000803).putInt(n).putInt(rows).putInt(columns);
        for (int i = 0; i < n * rows * columns; i++) {
            b.put((byte) (i * 31));
        }
        return b.array();
    }

    /** An IDX labels file of {@code n} labels: i mod 10, with the first one set to {@code first} if non-zero. */
    static byte[] labels(int n, int first) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(0x00000801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i == 0 && first != 0 ? first : i % 10));
        }
        return b.array();
    }

    static void write(Path dir, String name, byte[] content) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), content);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        }
        return bytes.toByteArray();
    }

    @Test
    void helpListsEveryOption() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("train", "--help"));
        for (String option : List.of("--data", "--test-data", "--output", "--model", "--epochs", "--limit-train",
                "--workers", "--batch-size", "--sync", "--averaging-frequency", "--kl-weight", "--threshold", "--lr",
                "--seed", "--master", "--variant", "--dropout", "--width", "--init-from", "--dataset",
                "--random-labels", "--augment")) {
            assertTrue(out.toString().contains(option), option + " in:\n" + out);
        }
    }
}
