package org.sparsevd.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.datasets.IdxDataset;
import org.sparsevd.job.Main;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.output.Json;

/**
 * {@code export}, {@code evaluate} and {@code predict} end to end on a small LeNet-300-100 run written here (random
 * weights, real file formats), and their bad input as one corpus: one line on stderr, a non-zero exit, and no file
 * created, changed or removed.
 */
class ServeCommandsTest {
    private static final int TRAIN = 100;
    private static final int TEST = 60;

    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.run(new PrintWriter(err, true), args);
        } finally {
            System.setOut(stdout);
        }
        out.write(captured.toString(StandardCharsets.UTF_8));
        return new Result(code, out.toString(), err.toString());
    }

    /** IDX data of 28x28 images in tmp/data. */
    static Path data(Path tmp) throws IOException {
        Path dir = tmp.resolve("data");
        if (!Files.isDirectory(dir)) {
            TrainCommandTest.write(dir, IdxDataset.TRAIN_IMAGES, TrainCommandTest.images(TRAIN, 28, 28));
            TrainCommandTest.write(dir, IdxDataset.TRAIN_LABELS, TrainCommandTest.labels(TRAIN, 0));
            TrainCommandTest.write(dir, IdxDataset.TEST_IMAGES, TrainCommandTest.images(TEST, 28, 28));
            TrainCommandTest.write(dir, IdxDataset.TEST_LABELS, TrainCommandTest.labels(TEST, 0));
        }
        return dir;
    }

    /** A finished LeNet-300-100 run in tmp/run: model.zip (random weights), run.json, metrics.jsonl. */
    static Path finishedRun(Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        if (Files.isDirectory(run)) {
            return run;
        }
        Files.createDirectories(run);
        MultiLayerNetwork net = new MultiLayerNetwork(Lenet300.sparseVd(ArchitectureSettings.defaults(TRAIN)));
        net.init();
        // Spread log sigma^2 so that some weights are pruned at threshold 3.
        for (String layer : List.of("0", "1", "2")) {
            net.setParam(layer + "_logSigma2", net.getParam(layer + "_logSigma2").assign(-7.0));
        }
        ModelSerializer.writeModel(net, run.resolve("model.zip").toFile(), true);
        EpochMetrics m = new EpochMetrics(1, 1, 1, 0, 1e-3, 0.5, 10, 0.5, TRAIN, null, 0.1, 1,
                List.of(new LayerMetrics("dense1", 10, 5, 0.5, 1, -3.0, null)), 0.1, 2.0);
        Files.writeString(run.resolve(RunFiles.METRICS_JSONL), Json.mapper().writeValueAsString(m) + "\n");
        Files.writeString(run.resolve("run.json"), "{\"command\":\"train\",\"config\":{\"data\":{\"train\":\""
                + data(tmp).toUri() + "\",\"dataset\":\"idx\"},\"model\":{\"name\":\"lenet300\",\"threshold\":3.0}},"
                + "\"seed\":42,\"versions\":{},\"input\":{\"channels\":1,\"height\":28,\"width\":28,\"mean\":[0.0],"
                + "\"std\":[1.0]},\"final\":{\"test_accuracy\":0.1}}");
        return run;
    }

    private Path exported(String name, String... extra) throws IOException {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("export", "--input", finishedRun(tmp).toString(), "--output",
                out.toString()));
        args.addAll(List.of(extra));
        Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return out;
    }

    @Test
    void exportEvaluateAndPredictAgree() throws IOException {
        Path quantized = exported("m.svdm");
        Path float32 = exported("m32.svdm", "--no-quantize");
        JsonNode report = Json.readingMapper().readTree(Files.readString(Path.of(quantized + ".json")));
        assertTrue(report.path("total").path("kept").asLong() < report.path("total").path("weights").asLong());
        assertTrue(report.path("total").path("huffman_bytes").asLong()
                < report.path("total").path("sparse_float32_index32_bytes").asLong());
        // Every stage's accuracy; the centroids retrained on the run's training split (never the test split).
        JsonNode stages = report.path("stages");
        assertEquals(List.of("pruned", "quantized", "retrained"), List.of(stages.get(0).path("stage").asText(),
                stages.get(1).path("stage").asText(), stages.get(2).path("stage").asText()));
        assertEquals(stages.get(2).path("test_accuracy").asDouble(), report.path("exported_test_accuracy")
                .asDouble(), 1e-12);
        assertTrue(stages.get(2).path("train_loss").isNumber(), stages.toString());
        assertEquals(TRAIN, report.path("centroid_retraining").path("train_examples").asInt());
        assertEquals(report.path("centroid_retraining"), report.path("provenance").path("centroid_retraining"));
        JsonNode unretrained = Json.readingMapper().readTree(Files.readString(Path.of(exported("m0.svdm",
                "--retrain-epochs", "0") + ".json")));
        assertEquals(2, unretrained.path("stages").size());
        assertTrue(unretrained.path("centroid_retraining").isNull());
        JsonNode f32 = Json.readingMapper().readTree(Files.readString(Path.of(float32 + ".json")));
        assertEquals(1, f32.path("stages").size());

        Result dl4j = run("evaluate", "--model", finishedRun(tmp).resolve("model.zip").toString(), "--data",
                data(tmp).toString(), "--output", tmp.resolve("dl4j.json").toString());
        assertEquals(0, dl4j.code(), dl4j.err());
        Result engine = run("evaluate", "--model", float32.toString(), "--data", data(tmp).toString(), "--output",
                tmp.resolve("engine.json").toString());
        assertEquals(0, engine.code(), engine.err());
        JsonNode a = Json.readingMapper().readTree(Files.readString(tmp.resolve("dl4j.json")));
        JsonNode b = Json.readingMapper().readTree(Files.readString(tmp.resolve("engine.json")));
        assertEquals(TEST, b.path("examples").asInt());
        assertEquals(a.path("confusion"), b.path("confusion"), "the masked DL4J network and its float32 export");
        assertEquals(report.path("masked_test_accuracy").asDouble(), b.path("accuracy").asDouble(), 1e-12);

        Result p = run("predict", "--model", quantized.toString(), "--data", data(tmp).toString(), "--output",
                tmp.resolve("pred").toString(), "--workers", "1");
        assertEquals(0, p.code(), p.err());
        List<String> csv = Files.readAllLines(tmp.resolve("pred").resolve("predictions.csv"));
        assertEquals(TEST + 1, csv.size());
        assertTrue(csv.get(0).startsWith("index,id,label,p0,"), csv.get(0));
        List<String> jsonl = Files.readAllLines(tmp.resolve("pred").resolve("predictions.jsonl"));
        assertEquals(TEST, jsonl.size());
        JsonNode row = Json.readingMapper().readTree(jsonl.get(7));
        assertEquals(7, row.path("index").asInt());
        assertEquals(10, row.path("probabilities").size());

        Path pngs = tmp.resolve("pngs");
        Files.createDirectories(pngs);
        for (String name : List.of("b.png", "a.png")) {
            ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", pngs.resolve(name).toFile());
        }
        Result png = run("predict", "--model", quantized.toString(), "--data", pngs.toString(), "--output",
                tmp.resolve("pred-png").toString(), "--workers", "1");
        assertEquals(0, png.code(), png.err());
        List<String> rows = Files.readAllLines(tmp.resolve("pred-png").resolve("predictions.csv"));
        assertEquals(3, rows.size());
        assertTrue(rows.get(1).startsWith("0,a.png,"), rows.get(1));
    }

    /** One kind of bad input: the arguments (prepared under tmp), the exit code and a part of the message. */
    private record BadInput(String kind, Setup setup, int code, String message) {
        @Override
        public String toString() {
            return kind;
        }
    }

    @FunctionalInterface
    private interface Setup {
        List<String> args(Path tmp) throws IOException;
    }

    private static byte[] file(Path tmp) throws IOException {
        Path m = tmp.resolve("good.svdm");
        if (!Files.exists(m)) {
            Result r = run("export", "--input", finishedRun(tmp).toString(), "--output", m.toString());
            assertEquals(0, r.code(), r.err());
            Files.delete(Path.of(m + ".json"));
        }
        return Files.readAllBytes(m);
    }

    private static List<String> evaluate(Path tmp, byte[] model) throws IOException {
        Path m = tmp.resolve("bad.svdm");
        Files.write(m, model);
        return List.of("evaluate", "--model", m.toString(), "--data", data(tmp).toString());
    }

    static List<BadInput> corpus() {
        int usage = UserErrors.BAD_USAGE;
        int failed = UserErrors.FAILED;
        return List.of(
                new BadInput("export: no such run", t -> List.of("export", "--input", t.resolve("nope").toString(),
                        "--output", t.resolve("o").toString()), usage, "does not exist"),
                new BadInput("export: not a run", t -> List.of("export", "--input", data(t).toString(), "--output",
                        t.resolve("o").toString()), usage, "is not a train output directory"),
                new BadInput("export: --bits-dense 0", t -> List.of("export", "--input", finishedRun(t).toString(),
                        "--output", t.resolve("o").toString(), "--bits-dense", "0"), usage, "--bits-dense must be in 1..16"),
                new BadInput("export: --bits-conv 17", t -> List.of("export", "--input", finishedRun(t).toString(),
                        "--output", t.resolve("o").toString(), "--bits-conv", "17"), usage, "--bits-conv must be in 1..16"),
                new BadInput("export: --retrain-epochs -1", t -> List.of("export", "--input",
                        finishedRun(t).toString(), "--output", t.resolve("o").toString(), "--retrain-epochs", "-1"),
                        usage, "--retrain-epochs must be 0 or more, got -1"),
                new BadInput("export: --retrain-lr 0", t -> List.of("export", "--input", finishedRun(t).toString(),
                        "--output", t.resolve("o").toString(), "--retrain-lr", "0"), usage,
                        "--retrain-lr must be a finite number > 0, got 0.0"),
                new BadInput("export: --retrain-lr NaN", t -> List.of("export", "--input", finishedRun(t).toString(),
                        "--output", t.resolve("o").toString(), "--retrain-lr", "NaN"), usage,
                        "--retrain-lr must be a finite number > 0, got NaN"),
                new BadInput("export: --retrain-epochs with --no-quantize", t -> List.of("export", "--input",
                        finishedRun(t).toString(), "--output", t.resolve("o").toString(), "--no-quantize",
                        "--retrain-epochs", "2"), usage, "--retrain-epochs 2 retrains shared centroids, which "
                        + "--no-quantize does not have"),
                new BadInput("export: NaN threshold", t -> List.of("export", "--input", finishedRun(t).toString(),
                        "--output", t.resolve("o").toString(), "--threshold", "NaN"), usage, "--threshold must be a finite"),
                new BadInput("export: threshold above --log-alpha-max", t -> List.of("export", "--input",
                        finishedRun(t).toString(), "--output", t.resolve("o").toString(), "--threshold", "8.5"), usage,
                        "--threshold 8.5 is outside (--log-alpha-min -8, --log-alpha-max 8]"),
                new BadInput("export: threshold at --log-alpha-min", t -> List.of("export", "--input",
                        finishedRun(t).toString(), "--output", t.resolve("o").toString(), "--threshold", "-8"), usage,
                        "so every weight would be pruned"),
                new BadInput("export: existing output", t -> {
                    Files.writeString(t.resolve("o"), "keep me");
                    return List.of("export", "--input", finishedRun(t).toString(), "--output", t.resolve("o").toString());
                }, failed, "already exists"),
                new BadInput("export: model.zip is not a zip", t -> {
                    Files.writeString(finishedRun(t).resolve("model.zip"), "not a zip");
                    return List.of("export", "--input", finishedRun(t).toString(), "--output", t.resolve("o").toString());
                }, failed, "cannot be read as a DL4J network"),
                new BadInput("evaluate: missing model file", t -> List.of("evaluate", "--model",
                        t.resolve("none.svdm").toString(), "--data", data(t).toString()), usage, "does not exist"),
                new BadInput("evaluate: truncated model file", t -> evaluate(t, Arrays.copyOf(file(t),
                        file(t).length - 20)), failed, "truncated"),
                new BadInput("evaluate: corrupt model file", t -> {
                    byte[] b = file(t);
                    b[b.length - 30] ^= 0x40;
                    return evaluate(t, b);
                }, failed, "checksum"),
                new BadInput("evaluate: wrong format version", t -> {
                    byte[] b = file(t);
                    b[9] = 9;
                    return evaluate(t, b);
                }, failed, "format version 9 is not supported"),
                new BadInput("evaluate: neither model file nor zip", t -> evaluate(t,
                        "hello".getBytes(StandardCharsets.UTF_8)), usage, "is neither a sparsevd model file"),
                new BadInput("evaluate: model.zip that is not a sparsevd network", t -> {
                    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(784).nOut(10)
                                    .activation(Activation.TANH).build()).build());
                    net.init();
                    Path zip = t.resolve("other").resolve("model.zip");
                    Files.createDirectories(zip.getParent());
                    ModelSerializer.writeModel(net, zip.toFile(), false);
                    return List.of("evaluate", "--model", zip.toString(), "--data", data(t).toString());
                }, usage, "is not a sparsevd network"),
                new BadInput("evaluate: model.zip whose layer's log alpha clip range is unordered", t -> {
                    Path zip = finishedRun(t).resolve("model.zip");
                    try (FileSystem z = FileSystems.newFileSystem(zip)) {
                        Path json = z.getPath("configuration.json");
                        Files.writeString(json, Files.readString(json)
                                .replaceFirst("\"logAlphaMin\" : -8.0", "\"logAlphaMin\" : 9.0"));
                    }
                    return List.of("evaluate", "--model", zip.toString(), "--data", data(t).toString());
                }, failed, "logAlpha clip range must have min < max, got min=9.0, max=8.0"),
                new BadInput("evaluate: data of another shape", t -> {
                    Path d = t.resolve("small");
                    TrainCommandTest.write(d, IdxDataset.TRAIN_IMAGES, TrainCommandTest.images(TRAIN, 14, 14));
                    TrainCommandTest.write(d, IdxDataset.TRAIN_LABELS, TrainCommandTest.labels(TRAIN, 0));
                    TrainCommandTest.write(d, IdxDataset.TEST_IMAGES, TrainCommandTest.images(TEST, 14, 14));
                    TrainCommandTest.write(d, IdxDataset.TEST_LABELS, TrainCommandTest.labels(TEST, 0));
                    return List.of("evaluate", "--model", finishedRun(t).toString(), "--data", d.toString());
                }, usage, "holds images of 1x14x14 but the model takes 1x28x28"),
                new BadInput("evaluate: NaN threshold", t -> List.of("evaluate", "--model", finishedRun(t).toString(),
                        "--data", data(t).toString(), "--threshold", "NaN"), usage, "--threshold must be a finite"),
                new BadInput("evaluate: threshold above --log-alpha-max", t -> List.of("evaluate", "--model",
                        finishedRun(t).toString(), "--data", data(t).toString(), "--threshold", "9", "--output",
                        t.resolve("e.json").toString()), usage,
                        "--threshold 9 is outside (--log-alpha-min -8, --log-alpha-max 8]"),
                new BadInput("evaluate: threshold below --log-alpha-min", t -> List.of("evaluate", "--model",
                        finishedRun(t).resolve("model.zip").toString(), "--data", data(t).toString(), "--threshold",
                        "-9"), usage, "so every weight would be pruned"),
                new BadInput("evaluate: existing output", t -> {
                    Files.writeString(t.resolve("e.json"), "{}");
                    return List.of("evaluate", "--model", finishedRun(t).toString(), "--data", data(t).toString(),
                            "--output", t.resolve("e.json").toString());
                }, failed, "already exists"),
                new BadInput("predict: model.zip instead of a model file", t -> List.of("predict", "--model",
                        finishedRun(t).resolve("model.zip").toString(), "--data", data(t).toString(), "--output",
                        t.resolve("p").toString()), usage, "is not an exported sparsevd model file"),
                new BadInput("predict: existing output", t -> {
                    file(t);
                    Files.createDirectories(t.resolve("p"));
                    Files.writeString(t.resolve("p").resolve("x"), "x");
                    return List.of("predict", "--model", t.resolve("good.svdm").toString(), "--data",
                            data(t).toString(), "--output", t.resolve("p").toString());
                }, failed, "already exists and is not empty"),
                new BadInput("predict: PNG of another size", t -> {
                    file(t);
                    Path pngs = t.resolve("pngs");
                    Files.createDirectories(pngs);
                    ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY), "png",
                            pngs.resolve("x.png").toFile());
                    return List.of("predict", "--model", t.resolve("good.svdm").toString(), "--data",
                            pngs.toString(), "--output", t.resolve("p").toString());
                }, failed, "is 32x32 pixels but the model takes 28x28"),
                new BadInput("predict: unknown split", t -> {
                    file(t);
                    return List.of("predict", "--model", t.resolve("good.svdm").toString(), "--data",
                            data(t).toString(), "--output", t.resolve("p").toString(), "--split", "dev");
                }, usage, "--split must be train or test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badInputGivesOneLineANonZeroExitAndChangesNothing(BadInput bad) throws IOException {
        List<String> args = bad.setup().args(tmp);
        Map<Path, String> before = TrainCommandTest.snapshot(tmp);
        Result r = run(args.toArray(String[]::new));
        assertEquals(bad.code(), r.code(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("sparsevd " + args.get(0) + ": error: "), r.err());
        assertTrue(first.contains(bad.message()), "'" + first + "' should mention '" + bad.message() + "'");
        long lines = r.err().lines().count();
        assertTrue(lines == 1 || lines == 2 && r.err().lines().skip(1).findFirst().orElse("").startsWith("Run '"),
                "one line (and the --help hint for a bad command line): " + r.err());
        assertEquals(before, TrainCommandTest.snapshot(tmp), "no file created, changed or removed");
    }
}
