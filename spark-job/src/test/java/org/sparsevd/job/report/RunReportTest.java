package org.sparsevd.job.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.layers.SparseVdDenseLayer;
import org.sparsevd.job.Main;
import org.sparsevd.job.cli.UserErrors;

/**
 * {@code sparsevd report} on a hand-written train output (4 epochs of metrics.jsonl, run.json) with a real
 * LeNet-300-100 model.zip whose first layer has a known pattern of pruned weights. No Spark, no training.
 */
class RunReportTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final List<String> CHARTS = List.of("accuracy.png", "data-loss.png", "kl.png", "sgvlb.png",
            "compression.png", "sparsity.png");
    private static final double THRESHOLD = 3.0;

    @TempDir
    static Path shared;
    static MultiLayerNetwork net;
    static Path modelZip;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildModel() throws IOException {
        net = new MultiLayerNetwork(Lenet300.sparseVd(ArchitectureSettings.defaults(1000)));
        net.init();
        INDArray logSigma2 = net.getLayer(0).getParam("logSigma2");
        // Unit u loses (u % 10) tenths of its inputs (logα clipped to 8 >= 3), on a pattern that differs per unit.
        for (int u = 0; u < Lenet300.HIDDEN1; u++) {
            for (int i = 0; i < Lenet300.INPUTS; i++) {
                if ((i * 7 + u) % 10 < u % 10) {
                    logSigma2.putScalar(i, u, 10.0);
                }
            }
        }
        modelZip = shared.resolve("model.zip");
        ModelSerializer.writeModel(net, modelZip.toFile(), true);
    }

    /** A train output with 4 epochs; model.zip only if asked. */
    private Path run(boolean withModel) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        StringBuilder jsonl = new StringBuilder();
        for (int e = 1; e <= 4; e++) {
            jsonl.append(epochLine(e)).append('\n');
        }
        Files.writeString(dir.resolve("metrics.jsonl"), jsonl);
        Files.writeString(dir.resolve("run.json"), """
                {
                  "command" : "train",
                  "status" : "completed",
                  "config" : {
                    "data" : { "train" : "file:/data/fashion-mnist/", "test" : null, "limit_train" : 1000 },
                    "model" : { "name" : "lenet300", "threshold" : 3.0, "log_sigma2_init" : -10.0,
                                "log_alpha_min" : -8.0, "log_alpha_max" : 8.0 },
                    "schedule" : { "epochs" : 4, "learning_rate" : 0.001, "kl_weight" : 1.0 },
                    "cluster" : { "master" : null, "workers" : 2, "batch_size" : 100, "averaging_frequency" : 5 },
                    "output" : "file:/runs/x",
                    "seed" : 1234
                  },
                  "seed" : 1234,
                  "train_examples" : 1000,
                  "test_examples" : 10000,
                  "spark_master" : "local[2]",
                  "versions" : { "sparsevd" : "0.1.0-SNAPSHOT", "dl4j" : "1.0.0-M2.1", "spark" : "3.5.1",
                                 "java" : "Test VM 17 <&>" },
                  "started_at" : "2026-01-01T00:00:00Z",
                  "finished_at" : "2026-01-01T00:10:00Z"
                }
                """);
        if (withModel) {
            Files.copy(modelZip, dir.resolve("model.zip"));
        }
        return dir;
    }

    /** One metrics.jsonl line as train writes it: sparsity grows, accuracy rises, KL falls. */
    private static String epochLine(int e) {
        long[] weights = {235200, 30000, 1000};
        long[] nonzero = {235200 / (e + 1), 30000 / e, 1000 - 50 * e};
        StringBuilder layers = new StringBuilder();
        String[] names = {"dense1", "dense2", "dense3"};
        long all = 0;
        long kept = 0;
        for (int l = 0; l < 3; l++) {
            all += weights[l];
            kept += nonzero[l];
            layers.append(l == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"name\":\"%s\",\"weights\":%d,\"nonzero\":%d,\"sparsity\":%.6f,\"kl\":%.1f,"
                            + "\"mean_log_alpha\":%.3f}",
                    names[l], weights[l], nonzero[l], 1 - (double) nonzero[l] / weights[l], 1000.0 * (5 - e),
                    -2.0 + e));
        }
        double kl = 3000.0 * (5 - e);
        double klWeight = (e - 1) / 3.0;
        double dataLoss = 1.0 / e;
        return String.format(Locale.ROOT, "{\"epoch\":%d,\"seconds\":%.1f,\"elapsed_seconds\":%.1f,"
                        + "\"kl_weight\":%.4f,\"learning_rate\":0.001,\"data_loss\":%.4f,\"kl\":%.1f,"
                        + "\"sgvlb\":%.6f,\"train_examples\":1000,\"test_accuracy\":%.4f,\"compression\":%.6f,"
                        + "\"layers\":[%s]}",
                e, 10.0, 10.0 * e, klWeight, dataLoss, kl, dataLoss + klWeight * kl / 1000, 0.7 + 0.05 * e,
                (double) all / kept, layers);
    }

    private record Result(int code, String err) {
    }

    private static Result report(Path input) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), "report", "--input", input.toString());
        return new Result(code, err.toString());
    }

    private static void assertOneLineError(Result r, int code, String... expected) {
        assertEquals(code, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.get(0).startsWith("sparsevd report: error: "), r.err());
        for (String s : expected) {
            assertTrue(lines.get(0).contains(s), "'" + lines.get(0) + "' should mention '" + s + "'");
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static BufferedImage readPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_SIGNATURE, java.util.Arrays.copyOf(bytes, 8), file + " is a PNG");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertTrue(img != null, file + " is readable");
        return img;
    }

    @Test
    void reportHasTheChartsTheWeightsFigureAndASelfContainedPage() throws IOException {
        Path dir = run(true);
        Result r = report(dir);
        assertEquals(0, r.code(), r.err());

        Path report = dir.resolve("report");
        List<String> files = new ArrayList<>(CHARTS);
        files.add("index.html");
        files.add("weights.png");
        files.sort(null);
        assertEquals(files, listing(report));
        assertEquals(List.of("metrics.jsonl", "model.zip", "report", "run.json"), listing(dir), "no temporaries");

        for (String chart : CHARTS) {
            BufferedImage img = readPng(report.resolve(chart));
            assertEquals(Charts.WIDTH, img.getWidth(), chart);
            assertEquals(Charts.HEIGHT, img.getHeight(), chart);
        }
        // weights.png holds exactly the tile grid of the model's first layer, below the title
        BufferedImage tiles = WeightImage.firstLayer(net).tiles();
        BufferedImage weights = readPng(report.resolve("weights.png"));
        assertEquals(tiles.getWidth() + 2 * WeightImage.MARGIN, weights.getWidth());
        for (int y = 0; y < tiles.getHeight(); y++) {
            for (int x = 0; x < tiles.getWidth(); x++) {
                assertEquals(tiles.getRGB(x, y), weights.getRGB(x + WeightImage.MARGIN, y + WeightImage.TITLE_HEIGHT),
                        "pixel " + x + "," + y);
            }
        }

        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertTrue(html.trim().endsWith("</html>"));
        for (String expected : List.of("lenet300", "file:/data/fashion-mnist/", "1234", "90.00%", // final accuracy
                "4.81\u00d7", // compression: 266200 / (47040 + 7500 + 800)
                "dense1", "47,040", "80.00%", "Test VM 17 &lt;&amp;&gt;", "3.5.1", "weights.png", "Generated at",
                "no kept weight")) {
            assertTrue(html.contains(expected), "index.html should contain " + expected);
        }
        assertFalse(html.contains("<&>"), "run.json values are escaped");
        // every PNG beside index.html is embedded in it, byte for byte
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        List<byte[]> embedded = new ArrayList<>();
        while (m.find()) {
            embedded.add(Base64.getDecoder().decode(m.group(1)));
        }
        assertEquals(CHARTS.size() + 1, embedded.size());
        for (String png : files) {
            if (png.endsWith(".png")) {
                byte[] bytes = Files.readAllBytes(report.resolve(png));
                assertTrue(embedded.stream().anyMatch(b -> java.util.Arrays.equals(b, bytes)), png + " embedded");
            }
        }
    }

    @Test
    void whitePixelsOfEachTileAreExactlyThePrunedWeightsOfItsUnit() {
        WeightImage.Figure figure = WeightImage.firstLayer(net);
        assertTrue(figure.drawn(), figure.caption());
        BufferedImage tiles = figure.tiles();
        int side = 28;
        int tile = side * WeightImage.PIXELS_PER_WEIGHT;
        int cols = 10;
        assertEquals(cols * (tile + WeightImage.GAP) + WeightImage.GAP, tiles.getWidth(), "10x10 tiles");
        assertEquals(tiles.getWidth(), tiles.getHeight());
        double[][] w = net.getLayer(0).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] ls = net.getLayer(0).getParam("logSigma2").castTo(DataType.DOUBLE).toDoubleMatrix();
        int totalPruned = 0;
        for (int u = 0; u < WeightImage.MAX_UNITS; u++) {
            int x0 = WeightImage.GAP + (u % cols) * (tile + WeightImage.GAP);
            int y0 = WeightImage.GAP + (u / cols) * (tile + WeightImage.GAP);
            int pruned = 0;
            for (int i = 0; i < Lenet300.INPUTS; i++) {
                double logAlpha = Math.max(-8, Math.min(8, ls[i][u] - Math.log(w[i][u] * w[i][u] + 1e-8)));
                boolean isPruned = logAlpha >= THRESHOLD;
                pruned += isPruned ? 1 : 0;
                // the weight's square: white if and only if pruned
                int px = x0 + (i % side) * WeightImage.PIXELS_PER_WEIGHT;
                int py = y0 + (i / side) * WeightImage.PIXELS_PER_WEIGHT;
                assertEquals(isPruned, (tiles.getRGB(px + 1, py + 1) & 0xFFFFFF) == WeightImage.PRUNED_RGB,
                        "unit " + u + " input " + i + " w=" + w[i][u] + " logalpha=" + logAlpha);
            }
            int white = 0;
            for (int y = y0; y < y0 + tile; y++) {
                for (int x = x0; x < x0 + tile; x++) {
                    white += (tiles.getRGB(x, y) & 0xFFFFFF) == WeightImage.PRUNED_RGB ? 1 : 0;
                }
            }
            int perWeight = WeightImage.PIXELS_PER_WEIGHT * WeightImage.PIXELS_PER_WEIGHT;
            assertEquals(pruned * perWeight, white, "white pixels of unit " + u);
            totalPruned += pruned;
        }
        // the pattern set in buildModel prunes (u % 10)/10 of each unit's inputs, plus weights tiny by chance
        assertTrue(totalPruned >= 10 * 784 * 45 / 10, "pruned " + totalPruned);
        assertTrue(figure.caption().contains("log alpha >= 3"), figure.caption());
    }

    @Test
    void keptWeightsAreNeverWhiteAndSignsGetDifferentHues() {
        assertNotEquals(WeightImage.PRUNED_RGB, WeightImage.diverging(0.0));
        for (double v = -1.2; v <= 1.2; v += 0.01) {
            assertNotEquals(WeightImage.PRUNED_RGB, WeightImage.diverging(v), "v=" + v);
        }
        int neg = WeightImage.diverging(-1);
        int pos = WeightImage.diverging(1);
        assertTrue((neg & 0xFF) > (neg >> 16), "negative is blue");
        assertTrue((pos >> 16) > (pos & 0xFF), "positive is red");
    }

    @Test
    void aFirstLayerWithoutSquareInputIsNotDrawnAndSaysWhy() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new SparseVdDenseLayer.Builder().name("in").nIn(10).nOut(4).trainSetSize(100)
                        .activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork small = new MultiLayerNetwork(conf);
        small.init();
        WeightImage.Figure figure = WeightImage.firstLayer(small);
        assertFalse(figure.drawn());
        assertTrue(figure.caption().contains("10 inputs, not a perfect square"), figure.caption());
    }

    @Test
    void withoutModelZipTheCurvesAreWrittenAndThePageSaysWhatIsMissing() throws IOException {
        Path dir = run(false);
        Result r = report(dir);
        assertEquals(0, r.code(), r.err());
        Path report = dir.resolve("report");
        assertFalse(Files.exists(report.resolve("weights.png")));
        for (String chart : CHARTS) {
            readPng(report.resolve(chart));
        }
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.contains("needs model.zip"), "the page says the weights figure needs model.zip");
    }

    @Test
    void theHeadlineSaysFinalOnlyForACompletedRun() throws IOException {
        Path dir = run(false);
        assertEquals(0, report(dir).code());
        assertTrue(Files.readString(dir.resolve("report/index.html")).contains(
                "<p class=\"headline\">Final test accuracy <b>90.00%</b>"), "run.json: the run completed");
        Files.delete(dir.resolve("run.json")); // as while the run trains, or after it failed
        assertEquals(0, report(dir).code());
        String html = Files.readString(dir.resolve("report/index.html"));
        assertTrue(html.contains("<p class=\"headline\">Test accuracy after epoch 4 (not completed): <b>90.00%</b>"),
                "no run.json: not a final result");
        assertFalse(html.contains("Final test accuracy"));
    }

    @Test
    void anOldReportIsReplacedWhole() throws IOException {
        Path dir = run(false);
        Path old = Files.createDirectories(dir.resolve("report"));
        Files.writeString(old.resolve("index.html"), "old");
        Files.writeString(old.resolve("stale.png"), "old");
        Result r = report(dir);
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(dir.resolve("report/stale.png")), "old files are gone");
        assertTrue(Files.readString(dir.resolve("report/index.html")).startsWith("<!DOCTYPE html>"));
        assertEquals(List.of("metrics.jsonl", "report", "run.json"), listing(dir), "no temporaries");
    }

    @Test
    void corruptMetricsLineIsNamedAndNothingIsWritten() throws IOException {
        Path dir = run(true);
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("metrics.jsonl")));
        lines.set(2, lines.get(2).substring(0, 40)); // a truncated third line
        Files.write(dir.resolve("metrics.jsonl"), lines);
        Path old = Files.createDirectories(dir.resolve("report"));
        Files.writeString(old.resolve("index.html"), "previous");

        Result r = report(dir);
        assertOneLineError(r, UserErrors.FAILED, "metrics.jsonl line 3");
        assertEquals("previous", Files.readString(old.resolve("index.html")), "the previous report is untouched");
        assertEquals(List.of("metrics.jsonl", "model.zip", "report", "run.json"), listing(dir));
    }

    @Test
    void aLineMissingAFieldIsNamedWithTheField() throws IOException {
        Path dir = run(false);
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("metrics.jsonl")));
        lines.set(1, lines.get(1).replace("\"test_accuracy\":0.8000,", ""));
        Files.write(dir.resolve("metrics.jsonl"), lines);
        assertOneLineError(report(dir), UserErrors.FAILED, "metrics.jsonl line 2", "test_accuracy");
        assertFalse(Files.exists(dir.resolve("report")));
    }

    @Test
    void emptyMetricsIsAnError() throws IOException {
        Path dir = run(false);
        Files.writeString(dir.resolve("metrics.jsonl"), "\n");
        assertOneLineError(report(dir), UserErrors.FAILED, "metrics.jsonl is empty");
        assertEquals(List.of("metrics.jsonl", "run.json"), listing(dir));
    }

    @Test
    void inputThatIsNotATrainOutputIsAUsageError() throws IOException {
        assertOneLineError(report(tmp.resolve("nowhere")), UserErrors.BAD_USAGE, "nowhere", "does not exist");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertOneLineError(report(file), UserErrors.BAD_USAGE, "is a file");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertOneLineError(report(empty), UserErrors.BAD_USAGE, "no metrics.jsonl");
        assertEquals(List.of(), listing(empty));
    }
}
