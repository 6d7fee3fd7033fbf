package org.sparsevd.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsevd.job.metrics.EpochMetrics;

/** {@code train} end to end in embedded local mode on a Fashion-MNIST subset: metrics, model and provenance. */
class TrainJobTest {
    @TempDir
    Path tmp;

    @Test
    void trainWritesPerEpochMetricsAModelAndTheRunRecord() throws Exception {
        Path out = tmp.resolve("run");
        int code = Main.run("train", "--data", FashionMnist.DIR.toString(), "--output", out.toString(),
                "--limit-train", "3000", "--epochs", "3", "--kl-zero-epochs", "1", "--kl-ramp-epochs", "1",
                "--workers", "2", "--averaging-frequency", "3", "--seed", "5");
        assertEquals(0, code);

        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 3; i++) {
            JsonNode m = json.readTree(lines.get(i));
            assertEquals(i + 1, m.get("epoch").asInt());
            for (String field : List.of("seconds", "kl_weight", "data_loss", "kl", "sgvlb", "test_accuracy",
                    "compression", "learning_rate", "train_examples")) {
                assertTrue(m.get(field).isNumber(), field + " in " + m);
            }
            assertEquals(3000, m.get("train_examples").asLong());
            // The paper's schedule: weight(e) = clamp((e - zero) / ramp, 0, 1) for 0-based epochs e.
            assertEquals(i < 2 ? 0.0 : 1.0, m.get("kl_weight").asDouble(), 1e-12, "zero 1 epoch, ramp 1 epoch");
            assertEquals(3, m.get("layers").size());
            for (JsonNode l : m.get("layers")) {
                for (String field : List.of("name", "weights", "nonzero", "sparsity", "kl", "mean_log_alpha")) {
                    assertTrue(l.has(field), field + " in " + l);
                }
                assertTrue(l.get("nonzero").asLong() <= l.get("weights").asLong());
            }
            double sgvlb = m.get("data_loss").asDouble() + m.get("kl_weight").asDouble() * m.get("kl").asDouble() / 3000;
            assertEquals(sgvlb, m.get("sgvlb").asDouble(), 1e-9 * Math.abs(sgvlb) + 1e-12);
        }
        JsonNode last = json.readTree(lines.get(2));
        assertTrue(last.get("test_accuracy").asDouble() > 0.6, "learns: " + last);
        assertEquals(784 * 300, last.get("layers").get(0).get("weights").asLong());

        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(0).startsWith("epoch,seconds,"));
        assertTrue(csv.get(0).contains("dense1_sparsity"), csv.get(0));

        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile(), true);
        assertEquals(784 * 300 * 2 + 300 + 300 * 100 * 2 + 100 + 100 * 10 * 2 + 10, model.numParams());

        JsonNode run = json.readTree(out.resolve("run.json").toFile());
        assertEquals("completed", run.get("status").asText());
        assertEquals(5, run.get("seed").asLong());
        assertEquals("lenet300", run.get("config").get("model").get("name").asText());
        assertEquals("local[2]", run.get("spark_master").asText());
        assertEquals(3 * 3000, run.get("examples_per_executor").get("driver").asLong(), "local mode: one executor");
        assertTrue(run.get("versions").get("dl4j").asText().startsWith("1.0.0"));
        assertTrue(run.get("versions").get("spark").asText().startsWith("3.5"));
        try (var files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void metricsSummaryLineIsReadable() {
        EpochMetrics m = new EpochMetrics(3, 12.5, 40, 0.5, 1e-3, 0.41, 1234.5, 0.42, 60000, 0.8712, 10.3,
                List.of(new org.sparsevd.job.metrics.LayerMetrics("dense1", 235200, 19757, 0.916, 900, 2.1)));
        String line = m.summary(20, 425);
        assertTrue(line.startsWith("epoch 3/20  12.5s (eta 7m05s)"), line);
        assertTrue(line.contains("test_acc=0.8712") && line.contains("dense1=91.6%"), line);
    }
}
