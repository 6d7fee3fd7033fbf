package org.sparsevd.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The same {@code train} command twice in one JVM (the first run with the fused kernels cold, the second with them
 * JIT-compiled) gives byte-identical {@code metrics.jsonl} apart from its time fields, and bit-identical parameters
 * and Adam state, with 1 and with 2 local workers (parameter averaging and gradient all-reduce). Sparse VD LeNet-300-100 with the KL term on.
 */
class ReproducibleRunTest {
    @TempDir
    Path tmp;

    @Test
    void sameCommandSameBitsWithOneAndTwoWorkers() throws Exception {
        for (List<String> cluster : List.of(List.of("--workers", "1"),
                List.of("--workers", "2", "--sync", "average", "--averaging-frequency", "2"),
                List.of("--workers", "2", "--sync", "allreduce"))) {
            String workers = String.join(" ", cluster);
            Path a = train(tmp.resolve(workers.replace(' ', '_') + "a"), cluster);
            Path b = train(tmp.resolve(workers.replace(' ', '_') + "b"), cluster);
            assertEquals(metricsWithoutTimes(a), metricsWithoutTimes(b), "metrics.jsonl, " + workers);
            MultiLayerNetwork ma = ModelSerializer.restoreMultiLayerNetwork(a.resolve("model.zip").toFile(), true);
            MultiLayerNetwork mb = ModelSerializer.restoreMultiLayerNetwork(b.resolve("model.zip").toFile(), true);
            assertArrayEquals(bits(ma.params()), bits(mb.params()), "parameters, " + workers);
            assertArrayEquals(bits(ma.getUpdater().getStateViewArray()), bits(mb.getUpdater().getStateViewArray()),
                    "Adam state, " + workers);
        }
    }

    private static Path train(Path out, List<String> cluster) {
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("train", "--data", FashionMnist.DIR.toString(),
                "--output", out.toString(), "--limit-train", "800", "--epochs", "2", "--kl-zero-epochs", "0",
                "--kl-ramp-epochs", "1", "--seed", "3"));
        args.addAll(cluster);
        int code = Main.run(new PrintWriter(err, true), args.toArray(String[]::new));
        assertEquals(0, code, err.toString());
        return out;
    }

    /** Each line of metrics.jsonl without its time fields (names containing "second"), as JSON text. */
    private static List<String> metricsWithoutTimes(Path run) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            ObjectNode node = (ObjectNode) json.readTree(line);
            List<String> times = new ArrayList<>();
            node.fieldNames().forEachRemaining(f -> {
                if (f.contains("second")) {
                    times.add(f);
                }
            });
            node.remove(times);
            lines.add(json.writeValueAsString(node));
        }
        return lines;
    }

    private static int[] bits(INDArray a) {
        float[] v = a.toFloatVector();
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
