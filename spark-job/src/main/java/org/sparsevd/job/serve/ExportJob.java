package org.sparsevd.job.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.core.engine.CentroidTraining;
import org.sparsevd.core.engine.Codebook;
import org.sparsevd.core.engine.LayerSize;
import org.sparsevd.core.engine.ModelEncoder;
import org.sparsevd.core.engine.ModelFile;
import org.sparsevd.core.engine.NetworkSpec;
import org.sparsevd.core.engine.Quantization;
import org.sparsevd.core.engine.SparseNetwork;
import org.sparsevd.core.export.Dl4jExport;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.SourceNames;
import org.sparsevd.job.config.DataOptions;
import org.sparsevd.job.config.DataSplit;
import org.sparsevd.job.config.ExportConfig;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.train.TrainingData;

/**
 * {@code sparsevd export}: a trained run (or a sweep's selected point) to one model file ({@link ModelFile}) and a
 * JSON report beside it ({@code <output>.json}): per layer and in total the weights and kept weights, the bytes at
 * each stage of Deep Compression, bits per kept weight, and the accuracy after each stage, all run by the engine:
 * the pruned network (float32 weights), the k-means quantized one, the one whose centroids were retrained on the
 * training split ({@link CentroidTraining}; the test split is only measured, never fitted or chosen on), and the
 * exported file.
 */
public final class ExportJob {
    /** The suffix of the JSON report beside the model file. */
    public static final String REPORT_SUFFIX = ".json";
    /** Examples per step of centroid retraining. */
    static final int RETRAIN_BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);

    private ExportJob() {
    }

    /** Runs the export and prints its table to {@code out}. */
    public static void run(ExportConfig config, Configuration conf, PrintWriter out) {
        URI report = URI.create(config.output() + REPORT_SUFFIX);
        OutputFile.requireAbsent("--output", config.output(), conf);
        OutputFile.requireAbsent("--output", report, conf);
        TrainedModel model = TrainedModel.read(config.input(), conf);
        double threshold = Double.isNaN(config.threshold()) ? model.threshold() : config.threshold();
        List<SparseVdLayer> sparse = SparseVdLayers.list(model.net());
        if (!sparse.isEmpty()) {
            LoadedModel.checkThreshold(sparse, threshold);
        }
        URI data = config.data() != null ? config.data()
                : URI.create(model.run().path("config").path("data").path("train").asText());
        ScoringData test = ScoringData.labelled(data, model.input().shape(), DataSplit.TEST, conf);

        NetworkSpec pruned;
        try {
            pruned = Dl4jExport.of(model.net(), sparse.isEmpty() ? Double.NaN : threshold, model.input(), "{}");
        } catch (IllegalArgumentException e) {
            throw new JobConfigException(model.location() + "/model.zip cannot be exported: " + e.getMessage());
        }
        int classes = pruned.classes();
        Quantization q = config.quantization();
        double masked = accuracy(pruned, test);
        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage("pruned", "pruned, float32", pruned, masked));
        List<Codebook> books = null;
        Map<String, Object> retraining = null;
        if (q.enabled()) {
            books = Codebook.kMeans(pruned, q);
            NetworkSpec quantized = Codebook.decode(pruned, books);
            stages.add(new Stage("quantized", "k-means centroids", quantized, accuracy(quantized, test)));
            if (config.retrainEpochs() > 0) {
                long seed = model.run().path("seed").asLong(0);
                ScoringData train = config.data() != null
                        ? ScoringData.labelled(data, model.input().shape(), DataSplit.TRAIN, conf)
                        : ScoringData.of(runTrainingSet(model, seed, conf), model.input().shape(), data);
                CentroidTraining.Examples examples = new CentroidTraining.Examples(train.pixels(), train.labels());
                CentroidTraining.Settings settings = new CentroidTraining.Settings(config.retrainEpochs(),
                        config.retrainLr(), RETRAIN_BATCH, seed);
                LOG.info("Retraining the shared centroids: {} epochs over {} training examples", settings.epochs(),
                        examples.count());
                books = CentroidTraining.retrain(pruned, books, examples, settings);
                NetworkSpec retrained = Codebook.decode(pruned, books);
                stages.add(new Stage("retrained", "centroids retrained", retrained, accuracy(retrained, test)));
                for (Stage st : stages) {
                    st.train = CentroidTraining.fit(st.spec, examples);
                }
                retraining = new LinkedHashMap<>();
                retraining.put("epochs", settings.epochs());
                retraining.put("learning_rate", settings.learningRate());
                retraining.put("batch", settings.batch());
                retraining.put("seed", seed);
                retraining.put("optimizer", "adam");
                retraining.put("train_data", SourceNames.redact(data.toString()));
                retraining.put("train_examples", examples.count());
            }
        }
        Map<String, Object> provenance = provenance(model, threshold, data, masked);
        if (retraining != null) {
            provenance.put("centroid_retraining", retraining);
        }
        ModelEncoder.Encoded encoded = ModelEncoder.encode(with(pruned, provenance), q, books);
        double exported = accuracy(ModelFile.read(encoded.bytes()), test);
        provenance.put("exported_test_accuracy", exported);
        // Deterministic: the same bytes as above, with the exported accuracy in the header.
        encoded = ModelEncoder.encode(with(pruned, provenance), q, books);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_file", SourceNames.redact(config.output().toString()));
        json.put("file_bytes", encoded.bytes().length);
        json.put("format_version", ModelFile.VERSION);
        json.put("quantized", q.enabled());
        json.put("bits_dense", q.denseBits());
        json.put("bits_conv", q.convBits());
        json.put("threshold", threshold);
        json.put("masked_test_accuracy", masked);
        json.put("exported_test_accuracy", exported);
        List<Map<String, Object>> stageRows = new ArrayList<>();
        for (Stage st : stages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", st.name);
            m.put("test_accuracy", st.testAccuracy);
            if (st.train != null) {
                m.put("train_loss", st.train.loss());
                m.put("train_accuracy", st.train.accuracy());
            }
            stageRows.add(m);
        }
        json.put("stages", stageRows);
        json.put("centroid_retraining", retraining);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerSize l : encoded.sizes()) {
            layers.add(sizeMap(l));
        }
        json.put("layers", layers);
        json.put("total", sizeMap(encoded.total()));
        json.put("provenance", provenance);
        OutputFile.writeAll(List.of(config.output(), report), List.of(encoded.bytes(),
                (pretty(json) + "\n").getBytes(StandardCharsets.UTF_8)), conf);
        out.print(table(encoded, stages, exported));
        out.printf(Locale.ROOT, "Wrote %s (%,d bytes) and %s%n", SourceNames.redact(config.output().toString()),
                encoded.bytes().length, SourceNames.redact(report.toString()));
        out.flush();
    }

    /** One stage of the export: the network after it, its test accuracy and (when retrained) its training fit. */
    private static final class Stage {
        final String name;
        final String label;
        final NetworkSpec spec;
        final double testAccuracy;
        CentroidTraining.Fit train;

        Stage(String name, String label, NetworkSpec spec, double testAccuracy) {
            this.name = name;
            this.label = label;
            this.spec = spec;
            this.testAccuracy = testAccuracy;
        }
    }

    /**
     * The examples the run trained on, derived from its recorded data options as {@code train} derived them: its
     * {@code --limit-train} subset without its {@code --validation} hold-out.
     */
    private static LabeledImages runTrainingSet(TrainedModel model, long seed, Configuration conf) {
        DataOptions options;
        try {
            // Options a run of an earlier version did not record (e.g. validation) read as none.
            options = Json.mapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .treeToValue(model.run().path("config").path("data"), DataOptions.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new JobConfigException(model.location() + "/run.json does not say which data the run trained on ("
                    + e.getMessage().lines().findFirst().orElse("") + "); give --data");
        }
        return TrainingData.load(options, seed, conf).train();
    }

    private static double accuracy(NetworkSpec spec, ScoringData test) {
        return Scoring.evaluate(Scoring.engine(SparseNetwork.of(spec)), spec.input(), test, spec.classes(),
                Scoring.DEFAULT_BATCH).accuracy();
    }

    private static NetworkSpec with(NetworkSpec spec, Map<String, Object> provenance) {
        return new NetworkSpec(spec.input(), spec.layers(), spec.threshold(), pretty(provenance));
    }

    private static Map<String, Object> provenance(TrainedModel model, double threshold, URI data, double accuracy) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("source_run", model.location());
        if (model.sweep() != null) {
            p.put("sweep", model.sweep());
        }
        p.put("threshold", threshold);
        p.put("config", model.run().path("config"));
        p.put("seed", model.run().path("seed"));
        p.put("versions", model.run().path("versions"));
        p.put("run_final_test_accuracy", model.run().path("final").path("test_accuracy"));
        p.put("test_data", SourceNames.redact(data.toString()));
        p.put("masked_test_accuracy", accuracy);
        return p;
    }

    private static Map<String, Object> sizeMap(LayerSize l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("weights", l.weights());
        m.put("kept", l.kept());
        m.put("dense_float32_bytes", l.denseBytes());
        m.put("sparse_float32_index32_bytes", l.sparseBytes());
        m.put("quantized_bytes", l.quantizedBytes());
        m.put("huffman_bytes", l.codedBytes());
        m.put("bits_per_kept_weight", l.bitsPerKept());
        m.put("ratio_to_dense", l.codedBytes() == 0 ? 0 : (double) l.denseBytes() / l.codedBytes());
        return m;
    }

    /** The printed table: one row per layer and the total, then the accuracy after each stage. */
    static String table(ModelEncoder.Encoded e, List<Stage> stages, double exported) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-10s %10s %9s %12s %14s %11s %9s %9s %8s%n", "layer", "weights", "kept",
                "dense f32", "sparse f32+i32", "quantized", "huffman", "bits/kept", "ratio"));
        List<LayerSize> rows = new ArrayList<>(e.sizes());
        rows.add(e.total());
        for (LayerSize l : rows) {
            b.append(String.format(Locale.ROOT, "%-10s %,10d %,9d %,12d %,14d %,11d %,9d %9.2f %7.1fx%n", l.name(),
                    l.weights(), l.kept(), l.denseBytes(), l.sparseBytes(), l.quantizedBytes(), l.codedBytes(),
                    l.bitsPerKept(), l.codedBytes() == 0 ? 0 : (double) l.denseBytes() / l.codedBytes()));
        }
        b.append(String.format(Locale.ROOT, "%-22s %13s %11s %15s%n", "stage", "test accuracy", "train loss",
                "train accuracy"));
        double pruned = stages.get(0).testAccuracy;
        for (Stage st : stages) {
            b.append(String.format(Locale.ROOT, "%-22s %6.4f %+6.2f %11s %15s%n", st.label, st.testAccuracy,
                    100 * (st.testAccuracy - pruned), st.train == null ? "-" : String.format(Locale.ROOT, "%.4f",
                            st.train.loss()), st.train == null ? "-" : String.format(Locale.ROOT, "%.4f",
                            st.train.accuracy())));
        }
        b.append(String.format(Locale.ROOT, "exported file: test accuracy %.4f (%+.2f points against the pruned "
                + "network)%n", exported, 100 * (exported - pruned)));
        return b.toString();
    }

    private static String pretty(Object o) {
        try {
            ObjectMapper m = Json.mapper();
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("export report is not serializable", e);
        }
    }
}
