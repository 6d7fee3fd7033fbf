package org.sparsevd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.sparsity.LayerSparsity;
import org.sparsevd.core.sparsity.SparsityReport;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.Minibatches;
import org.sparsevd.job.config.DataOptions;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.output.RunReader;
import org.sparsevd.job.train.TrainingData;

/**
 * Train and test accuracy of finished {@code train} runs, as in the random-labels table of the review (Zhang et
 * al.'s memorization experiment): each run's training set is rebuilt from its {@code run.json} (same subset, same
 * seeded random labels), and its {@code model.zip} is evaluated, masked (Sparse VD layers at their threshold), on
 * that training set and on the test set. Prints a markdown table with per-layer sparsity.
 *
 * <p>Usage: {@code RunAccuracy RUN_DIR...}
 */
public final class RunAccuracy {
    public static void main(String[] args) throws Exception {
        NativeThreads.apply();
        ObjectMapper json = Json.mapper();
        Table t = new Table("run", "variant", "train examples", "random labels", "epochs", "train accuracy",
                "test accuracy", "compression", "per-layer sparsity %");
        for (String dir : args) {
            RunReader.Run read = RunReader.read(new File(dir).toURI(), new Configuration());
            if (read.info() == null || read.model() == null) {
                throw new IllegalArgumentException(dir + " is not a finished train run: it lacks "
                        + (read.info() == null ? RunFiles.RUN : RunFiles.MODEL));
            }
            JsonNode config = read.info().get("config");
            DataOptions data = json.treeToValue(config.get("data"), DataOptions.class);
            TrainingData d = TrainingData.load(data, config.get("seed").asLong(), new Configuration());
            MultiLayerNetwork net = read.model();
            List<LayerSparsity> layers = SparsityReport.of(net);
            StringBuilder sparsity = new StringBuilder();
            for (LayerSparsity l : layers) {
                sparsity.append(sparsity.length() == 0 ? "" : " / ").append(ThroughputBench.fmt(100 * l.sparsity(), 1));
            }
            t.add(new File(dir).getName(), config.get("model").get("variant").asText(),
                    Integer.toString(d.train().count()), config.get("data").get("random_labels").asText(),
                    config.get("schedule").get("epochs").asText(),
                    ThroughputBench.fmt(100 * accuracy(net, d.train(), d.normalization()), 2) + "%",
                    ThroughputBench.fmt(100 * accuracy(net, d.test(), d.normalization()), 2) + "%",
                    ThroughputBench.fmt(SparsityReport.compression(layers), 2) + "x", sparsity.toString());
        }
        System.out.println(t.render());
    }

    /** Masked (inference-mode) accuracy against the labels as stored, random ones included. */
    private static double accuracy(MultiLayerNetwork net, LabeledImages data, ChannelNormalization normalization) {
        long correct = 0;
        for (DataSet b : Minibatches.of(data, 500, normalization)) {
            INDArray predicted = net.output(b.getFeatures(), false).argMax(1);
            correct += predicted.eq(b.getLabels().argMax(1)).castTo(org.nd4j.linalg.api.buffer.DataType.INT)
                    .sumNumber().longValue();
        }
        return (double) correct / data.count();
    }
}
