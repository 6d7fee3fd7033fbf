package org.sparsevd.job.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import org.sparsevd.core.engine.LayerSize;
import org.sparsevd.core.engine.ModelEncoder;
import org.sparsevd.core.engine.ModelFile;
import org.sparsevd.core.engine.NetworkSpec;
import org.sparsevd.core.engine.SparseNetwork;
import org.sparsevd.core.export.Dl4jExport;
import org.sparsevd.core.layers.SparseVdLayer;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.datasets.SourceNames;
import org.sparsevd.job.config.ExportConfig;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.output.Json;

/**
 * {@code sparsevd export}: a trained run (or a sweep's selected point) to one model file ({@link ModelFile}) and a
 * JSON report beside it ({@code <output>.json}): per layer and in total the weights and kept weights, the bytes at
 * each stage of Deep Compression, bits per kept weight, and the test accuracy of the pruned network (the engine on
 * float32 weights) and of the exported one.
 */
public final class ExportJob {
    /** The suffix of the JSON report beside the model file. */
    public static final String REPORT_SUFFIX = ".json";

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
        ScoringData test = ScoringData.labelled(data, model.input().shape(), ScoringData.Split.TEST, conf);

        NetworkSpec pruned;
        try {
            pruned = Dl4jExport.of(model.net(), sparse.isEmpty() ? Double.NaN : threshold, model.input(), "{}");
        } catch (IllegalArgumentException e) {
            throw new JobConfigException(model.location() + "/model.zip cannot be exported: " + e.getMessage());
        }
        int classes = pruned.classes();
        Evaluation masked = Scoring.evaluate(Scoring.engine(SparseNetwork.of(pruned)), pruned.input(), test, classes,
                Scoring.DEFAULT_BATCH);
        Map<String, Object> provenance = provenance(model, threshold, data, masked.accuracy());
        ModelEncoder.Encoded encoded = ModelEncoder.encode(with(pruned, provenance), config.quantization());
        Evaluation exported = Scoring.evaluate(Scoring.engine(SparseNetwork.of(ModelFile.read(encoded.bytes()))),
                pruned.input(), test, classes, Scoring.DEFAULT_BATCH);
        provenance.put("exported_test_accuracy", exported.accuracy());
        // Deterministic: the same bytes as above, with the exported accuracy in the header.
        encoded = ModelEncoder.encode(with(pruned, provenance), config.quantization());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_file", SourceNames.redact(config.output().toString()));
        json.put("file_bytes", encoded.bytes().length);
        json.put("format_version", ModelFile.VERSION);
        json.put("quantized", config.quantization().enabled());
        json.put("bits_dense", config.quantization().denseBits());
        json.put("bits_conv", config.quantization().convBits());
        json.put("threshold", threshold);
        json.put("masked_test_accuracy", masked.accuracy());
        json.put("exported_test_accuracy", exported.accuracy());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerSize l : encoded.sizes()) {
            layers.add(sizeMap(l));
        }
        json.put("layers", layers);
        json.put("total", sizeMap(encoded.total()));
        json.put("provenance", provenance);
        OutputFile.writeAll(List.of(config.output(), report), List.of(encoded.bytes(),
                (pretty(json) + "\n").getBytes(StandardCharsets.UTF_8)), conf);
        out.print(table(encoded, masked.accuracy(), exported.accuracy()));
        out.printf(Locale.ROOT, "Wrote %s (%,d bytes) and %s%n", SourceNames.redact(config.output().toString()),
                encoded.bytes().length, SourceNames.redact(report.toString()));
        out.flush();
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

    /** The printed table: one row per layer and the total, then the accuracies. */
    static String table(ModelEncoder.Encoded e, double masked, double exported) {
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
        b.append(String.format(Locale.ROOT, "test accuracy: dense masked = pruned %.4f, quantized = Huffman-coded "
                + "%.4f (%+.2f points)%n", masked, exported, 100 * (exported - masked)));
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
