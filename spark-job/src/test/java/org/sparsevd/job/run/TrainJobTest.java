package org.sparsevd.job.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsevd.job.CifarFiles;
import org.sparsevd.job.FashionMnist;
import org.sparsevd.job.Main;
import org.sparsevd.job.cli.TrainOptions;
import org.sparsevd.job.metrics.EpochMetrics;
import picocli.CommandLine;

/** {@code train} end to end in embedded local mode on a Fashion-MNIST subset: metrics, model and provenance. */
class TrainJobTest {
    @TempDir
    Path tmp;

    @Test
    void trainWritesPerEpochMetricsAModelAndTheRunRecord() throws Exception {
        Path out = tmp.resolve("run");
        int code = Main.run("train", "--data", FashionMnist.DIR.toString(), "--output", out.toString(),
                "--limit-train", "3000", "--validation", "0.1", "--epochs", "3", "--kl-zero-epochs", "1",
                "--kl-ramp-epochs", "1", "--workers", "2", "--batch-size", "200",
                "--sync", "average", "--averaging-frequency", "3",
                "--seed", "5");
        // 100 examples per worker (14 steps an epoch on the 2,700 trained on): with 50 each (27 steps) the KL term
        // falls about 5x within epoch 3, the first at KL weight 1, and its epoch mean is no longer near its
        // end-of-epoch value.
        assertEquals(0, code);

        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 3; i++) {
            JsonNode m = json.readTree(lines.get(i));
            assertEquals(i + 1, m.get("epoch").asInt());
            for (String field : List.of("seconds", "kl_weight", "data_loss", "kl", "sgvlb", "val_accuracy",
                    "test_accuracy", "compression", "learning_rate", "train_examples", "train_accuracy",
                    "test_loss")) {
                assertTrue(m.get(field).isNumber(), field + " in " + m);
            }
            assertEquals(2700, m.get("train_examples").asLong(), "N: the 3,000 examples less the 300 held out");
            // The paper's schedule: weight(e) = clamp((e - zero) / ramp, 0, 1) for 0-based epochs e.
            assertEquals(i < 2 ? 0.0 : 1.0, m.get("kl_weight").asDouble(), 1e-12, "zero 1 epoch, ramp 1 epoch");
            assertEquals(3, m.get("layers").size());
            for (JsonNode l : m.get("layers")) {
                for (String field : List.of("name", "weights", "nonzero", "sparsity", "kl", "mean_log_alpha")) {
                    assertTrue(l.has(field), field + " in " + l);
                }
                assertTrue(l.get("nonzero").asLong() <= l.get("weights").asLong());
            }
            // sgvlb: the epoch mean of each minibatch's data loss + kl_weight * KL / N, both on the same parameters
            double dataLoss = m.get("data_loss").asDouble();
            if (i < 2) {
                assertEquals(dataLoss, m.get("sgvlb").asDouble(), "KL weight 0: the objective is the data loss");
            } else {
                double klPart = m.get("sgvlb").asDouble() - dataLoss;
                double endOfEpoch = m.get("kl_weight").asDouble() * m.get("kl").asDouble() / 2700;
                assertTrue(klPart > 0.5 * endOfEpoch && klPart < 2 * endOfEpoch,
                        "the mean KL term of the epoch is near its end-of-epoch value: " + klPart + " vs " + endOfEpoch);
            }
        }
        // seconds and elapsed_seconds include the epoch's checkpoint write, which the checkpoint's copy cannot hold
        JsonNode checkpointed;
        try (var zip = new java.util.zip.ZipFile(out.resolve("checkpoint.zip").toFile())) {
            checkpointed = json.readTree(zip.getInputStream(zip.getEntry("state.json"))).get("metrics").get(2);
        }
        JsonNode written = json.readTree(lines.get(2));
        double write = written.get("seconds").asDouble() - checkpointed.get("seconds").asDouble();
        assertTrue(write > 0, "the checkpoint write is in the epoch's seconds: " + written + " vs " + checkpointed);
        assertEquals(write, written.get("elapsed_seconds").asDouble() - checkpointed.get("elapsed_seconds").asDouble(),
                1e-6);
        // Learns (chance: 10%, a cross-entropy of ln 10 = 2.30). Epoch 3 is the first at KL weight 1, which costs
        // accuracy: over seeds 1, 2, 3 and 5 and two noise generators, its train, test and validation accuracy
        // ranged over 0.58-0.65 and its test loss over 1.40-1.44, so the bounds leave room for another seed's noise.
        JsonNode last = json.readTree(lines.get(2));
        assertTrue(last.get("test_accuracy").asDouble() > 0.5, "learns: " + last);
        assertTrue(last.get("val_accuracy").asDouble() > 0.5, "learns: " + last);
        // Train accuracy from the training passes, under the noise: it climbs with the test accuracy.
        double firstTrain = json.readTree(lines.get(0)).get("train_accuracy").asDouble();
        assertTrue(last.get("train_accuracy").asDouble() > 0.5 && last.get("train_accuracy").asDouble() <= 1
                && last.get("train_accuracy").asDouble() > firstTrain, "train accuracy: " + last);
        assertTrue(last.get("test_loss").asDouble() > 0.1 && last.get("test_loss").asDouble() < 1.8,
                "test cross-entropy: " + last);
        JsonNode histogram = last.get("layers").get(0).get("log_alpha_histogram");
        assertEquals(784 * 300, sum(histogram.get("counts")), "every weight of dense1 in a bin: " + histogram);
        assertEquals(-8, histogram.get("min").asDouble());
        assertEquals(784 * 300, last.get("layers").get(0).get("weights").asLong());

        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(0).startsWith("epoch,seconds,"));
        assertTrue(csv.get(0).contains(",train_examples,val_accuracy,test_accuracy,"), csv.get(0));
        assertTrue(csv.get(0).contains("dense1_sparsity"), csv.get(0));

        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile(), true);
        assertEquals(784 * 300 * 2 + 300 + 300 * 100 * 2 + 100 + 100 * 10 * 2 + 10, model.numParams());

        JsonNode run = json.readTree(out.resolve("run.json").toFile());
        assertEquals("completed", run.get("status").asText());
        assertEquals(5, run.get("seed").asLong());
        assertEquals(2700, run.get("train_examples").asLong());
        assertEquals(300, run.get("validation_examples").asLong());
        assertEquals("lenet300", run.get("config").get("model").get("name").asText());
        assertEquals("local[2]", run.get("spark_master").asText());
        assertEquals(3 * 2700, run.get("examples_per_executor").get("driver").asLong(), "local mode: one executor");
        assertTrue(run.get("versions").get("dl4j").asText().startsWith("1.0.0"));
        assertTrue(run.get("versions").get("spark").asText().startsWith("3.5"));
        assertTrue(run.get("versions").get("sparsevd_commit").asText().matches("[0-9a-f]{40}( \\(with uncommitted "
                + "changes\\))?|unknown \\(built without git\\)"), run.get("versions").toString());
        try (var files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void cifarVggLikeTrainsOnGeneratedCifarFilesWithAugmentation() throws Exception {
        Path data = CifarFiles.write(tmp.resolve("cifar"), 60, 100, 3);
        Path out = tmp.resolve("vgg");
        int code = Main.run("train", "--model", "vgglike", "--width", "0.0625", "--data", data.toString(),
                "--augment", "--output", out.toString(), "--epochs", "1", "--kl-zero-epochs", "0",
                "--kl-ramp-epochs", "0", "--batch-size", "50",
                "--sync", "average", "--averaging-frequency", "2", "--seed", "3");
        assertEquals(0, code);
        ObjectMapper json = new ObjectMapper();
        JsonNode m = json.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        assertEquals(300, m.get("train_examples").asLong());
        assertEquals(1.0, m.get("kl_weight").asDouble());
        JsonNode layers = m.get("layers");
        assertEquals(15, layers.size(), "13 convolutions and 2 fully connected layers");
        assertEquals("conv1", layers.get(0).get("name").asText());
        assertEquals(3 * 4 * 9, layers.get(0).get("weights").asLong(), "64 x 1/16 = 4 filters of 3x3x3");
        assertEquals("fc2", layers.get(14).get("name").asText());
        long weights = 0;
        long nonzero = 0;
        for (JsonNode l : layers) {
            assertTrue(l.get("nonzero").asLong() <= l.get("weights").asLong());
            assertTrue(l.get("kl").asDouble() > 0, "Sparse VD layer: " + l);
            weights += l.get("weights").asLong();
            nonzero += l.get("nonzero").asLong();
        }
        assertEquals((double) weights / nonzero, m.get("compression").asDouble(), 1e-9);
        assertTrue(m.get("test_accuracy").asDouble() >= 0 && m.get("test_accuracy").asDouble() <= 1);

        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile(), true);
        assertEquals(10, model.output(org.nd4j.linalg.factory.Nd4j.rand(2, 3072)).size(1));
        JsonNode run = json.readTree(out.resolve("run.json").toFile());
        assertEquals("cifar10", run.get("config").get("data").get("dataset").asText(), "auto resolved from the model");
        assertTrue(run.get("config").get("data").get("augment").asBoolean());
    }

    @Test
    void lenet5StartsFromAPlainLenet5WithRandomLabels() throws Exception {
        Path plain = tmp.resolve("plain");
        assertEquals(0, Main.run("train", "--model", "lenet5", "--variant", "plain", "--data",
                FashionMnist.DIR.toString(), "--output", plain.toString(), "--limit-train", "600", "--epochs", "2",
                "--batch-size", "20",
                "--sync", "average", "--averaging-frequency", "5", "--lr", "0.003", "--kl-zero-epochs", "0"));
        Path out = tmp.resolve("sparse");
        assertEquals(0, Main.run("train", "--model", "lenet5", "--init-from", plain.resolve("model.zip").toString(),
                "--random-labels", "0.5", "--data", FashionMnist.DIR.toString(), "--output", out.toString(),
                "--limit-train", "600", "--epochs", "1", "--kl-zero-epochs", "1", "--batch-size", "20"));
        ObjectMapper json = new ObjectMapper();
        JsonNode m = json.readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        JsonNode plainMetrics = json.readTree(Files.readAllLines(plain.resolve("metrics.jsonl")).get(1));
        assertEquals(List.of("conv1", "conv2", "dense1", "dense2"), names(m.get("layers")));
        assertEquals(names(m.get("layers")), names(plainMetrics.get("layers")));
        assertTrue(m.get("layers").get(0).get("mean_log_alpha").isNumber());
        assertTrue(plainMetrics.get("layers").get(0).get("mean_log_alpha").isNull(), "plain layers have no log alpha");
        assertEquals(0.0, plainMetrics.get("kl_weight").asDouble(), "a plain network has no KL term to weight");
        double plainAccuracy = plainMetrics.get("test_accuracy").asDouble();
        assertTrue(plainMetrics.get("train_accuracy").asDouble() > 0.35, "the output layer's scores: " + plainMetrics);
        assertTrue(plainMetrics.get("layers").get(0).get("log_alpha_histogram").isNull());
        assertTrue(plainAccuracy > 0.35, "the plain network learned: " + plainMetrics);
        assertTrue(m.get("test_accuracy").asDouble() > plainAccuracy - 0.15, "kept what the plain network learned: " + m);
        JsonNode config = json.readTree(out.resolve("run.json").toFile()).get("config");
        assertEquals(0.5, config.get("data").get("random_labels").asDouble());
        assertTrue(config.get("model").get("init_from").asText().endsWith("plain/model.zip"));
        assertEquals("sparsevd", config.get("model").get("variant").asText());
    }

    @Test
    void reportIsRewrittenAfterEveryEpochAndReloadsUntilTheRunEnds() throws Exception {
        Path out = tmp.resolve("live");
        TrainOptions options = new TrainOptions();
        new CommandLine(options).parseArgs("--data", FashionMnist.DIR.toString(), "--output", out.toString(),
                "--limit-train", "600", "--epochs", "2", "--kl-zero-epochs", "0", "--kl-ramp-epochs", "1");
        Path index = out.resolve("report/index.html");
        List<String> during = new java.util.ArrayList<>();
        new TrainJob(options.config(), false, m -> {
            try {
                during.add(Files.readString(index));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, new Watch(false, true)).run();
        assertEquals(2, during.size());
        for (int e = 0; e < 2; e++) {
            String html = during.get(e);
            assertTrue(html.contains("<meta http-equiv=\"refresh\""), "reloads while training");
            assertTrue(html.contains(", " + (e + 1) + " epochs</title>"), "after epoch " + (e + 1));
            assertTrue(html.contains("<th>status</th><td>training</td>"), "the run record so far");
            assertTrue(html.contains("<p class=\"headline\">Test accuracy after epoch " + (e + 1)
                    + " of 2 (running): <b>"), "the headline says the run is going");
            assertFalse(html.contains("Final test accuracy"), "no final result while training");
            assertTrue(html.contains(" by 'sparsevd train --report' after epoch " + (e + 1) + " (sparsevd "),
                    "the footer names the command that wrote it");
            assertFalse(html.contains("sparsevd report --input"), "not the after-the-fact command");
        }
        String last = Files.readString(index);
        assertFalse(last.contains("http-equiv"), "the final report does not reload");
        assertTrue(last.contains("<th>status</th><td>completed</td>"));
        assertTrue(last.contains("<p class=\"headline\">Final test accuracy <b>"), "the final report's headline");
        assertTrue(last.contains(" after epoch 2.</p>"), "the final report's headline");
        try (var files = Files.list(out.resolve("report"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertFalse(names.stream().anyMatch(n -> n.endsWith(".tmp")), "no temporary files: " + names);
            assertTrue(names.contains("weights.png") && names.contains("accuracy.png"), names.toString());
            // The final report is what 'sparsevd report' writes: the same files, the same figures byte for byte, the
            // same page but for its footer (which names the command that wrote it, and when).
            Map<String, byte[]> live = new java.util.TreeMap<>();
            for (String name : names) {
                live.put(name, Files.readAllBytes(out.resolve("report").resolve(name)));
            }
            assertEquals(0, Main.run("report", "--input", out.toString()));
            try (var again = Files.list(out.resolve("report"))) {
                assertEquals(names, again.map(p -> p.getFileName().toString()).sorted().toList());
            }
            for (String name : names) {
                byte[] written = Files.readAllBytes(out.resolve("report").resolve(name));
                if (name.endsWith(".png")) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(live.get(name), written, name);
                } else if (name.equals("index.html")) {
                    assertEquals(withoutFooter(live.get(name)), withoutFooter(written), name);
                }
            }
        }
    }

    private static String withoutFooter(byte[] html) {
        return new String(html, java.nio.charset.StandardCharsets.UTF_8).replaceAll("<footer>.*</footer>", "");
    }

    private static long sum(JsonNode counts) {
        long n = 0;
        for (JsonNode c : counts) {
            n += c.asLong();
        }
        return n;
    }

    private static List<String> names(JsonNode layers) {
        List<String> out = new java.util.ArrayList<>();
        layers.forEach(l -> out.add(l.get("name").asText()));
        return out;
    }

    @Test
    void versionNamesTheBuildsCommit() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("--version"));
        String commit = org.sparsevd.job.output.Provenance.versions("3.5.1").get("sparsevd_commit");
        assertEquals("sparsevd 0.1.0-SNAPSHOT, commit " + commit, out.toString().strip());
        if (Files.exists(Path.of("..", ".git"))) { // a build in a git working tree (CI clones with git)
            assertTrue(commit.matches("[0-9a-f]{40}( \\(with uncommitted changes\\))?"), commit);
        } else {
            assertEquals("unknown (built without git)", commit);
        }
    }

    @Test
    void metricsSummaryLineIsReadable() {
        EpochMetrics m = new EpochMetrics(3, 12.5, 40, 0.5, 1e-3, 0.41, 1234.5, 0.42, 60000, 0.8654, 0.8712, 10.3,
                List.of(new org.sparsevd.job.metrics.LayerMetrics("dense1", 235200, 19757, 0.916, 900, 2.1, null)),
                0.88, 0.35);
        String line = m.summary(20, 425);
        assertTrue(line.startsWith("epoch 3/20  12.5s (eta 7m05s)"), line);
        assertTrue(line.contains("val_acc=0.8654 test_acc=0.8712") && line.contains("dense1=91.6%"), line);
        EpochMetrics noValidation = new EpochMetrics(3, 12.5, 40, 0.5, 1e-3, 0.41, 1234.5, 0.42, 60000, null, 0.8712,
                10.3, m.layers(), 0.88, 0.35);
        assertFalse(noValidation.summary(20, 425).contains("val_acc"));
    }
}
