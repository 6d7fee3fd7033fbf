package org.sparsevd.job.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparsevd.core.engine.InputSpec;
import org.sparsevd.core.engine.ModelFile;
import org.sparsevd.core.engine.ModelFormatException;
import org.sparsevd.core.engine.NetworkSpec;
import org.sparsevd.core.engine.Shape;
import org.sparsevd.core.engine.SparseNetwork;
import org.sparsevd.core.export.Dl4jExport;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.config.Checks;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.Provenance;

/**
 * A model given to {@code evaluate} or {@code predict}: an exported model file (the engine) or a DL4J network (a
 * run's {@code model.zip}, or a run or sweep directory), with its input preprocessing and classes.
 *
 * @param location the model, for messages (no credentials)
 * @param kind     "engine" or "dl4j"
 * @param input    the input shape and preprocessing
 * @param classes  the number of classes
 * @param scorer   class probabilities of a batch of feature vectors
 * @param engine   the engine's network, or null for a DL4J model
 */
public record LoadedModel(String location, String kind, InputSpec input, int classes, UnaryOperator<float[][]> scorer,
                          SparseNetwork engine) {

    /** Reads the model at {@code uri}; {@code threshold} (NaN: the run's own) applies to a DL4J model only. */
    public static LoadedModel read(URI uri, double threshold, Configuration conf) {
        String where = Provenance.redact(uri);
        FileStatus status;
        FileSystem fs;
        try {
            fs = FileSystem.get(uri, conf);
            if (!fs.exists(new Path(uri))) {
                throw new JobConfigException("--model " + where + " does not exist");
            }
            status = fs.getFileStatus(new Path(uri));
        } catch (IOException e) {
            throw new OutputException("--model " + where + " cannot be read: " + e.getMessage(), e);
        }
        if (status.isDirectory()) {
            TrainedModel m = TrainedModel.read(uri, conf);
            return dl4j(where, m.net(), m.input(), Double.isNaN(threshold) ? m.threshold() : threshold);
        }
        byte[] bytes = readAll(fs, new Path(uri), where);
        if (bytes.length >= ModelFile.MAGIC.length
                && Arrays.equals(Arrays.copyOf(bytes, ModelFile.MAGIC.length), ModelFile.MAGIC)) {
            if (!Double.isNaN(threshold)) {
                throw new JobConfigException("--threshold applies to DL4J models only: the exported model " + where
                        + " holds only the weights its own threshold kept");
            }
            SparseNetwork net = engine(bytes, where);
            return new LoadedModel(where, "engine", net.input(), net.classes(), Scoring.engine(net), net);
        }
        if (bytes.length < 2 || bytes[0] != 'P' || bytes[1] != 'K') {
            throw new JobConfigException("--model " + where + " is neither a sparsevd model file nor a DL4J model.zip");
        }
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(new java.io.ByteArrayInputStream(bytes), false);
        } catch (IOException | RuntimeException e) {
            throw new OutputException("--model " + where + " cannot be read as a DL4J network: "
                    + Json.firstLine(e.getMessage()), e);
        }
        Path runJson = new Path(new Path(uri).getParent(), RunFiles.RUN);
        InputSpec input;
        JsonNode run = TrainedModel.readJson(runJson.getParent().toUri(), RunFiles.RUN, conf);
        if (run != null) {
            input = ModelInput.fromRun(run, Provenance.redact(runJson.toUri()));
        } else if (net.layerInputSize(0) == 784) {
            input = InputSpec.unitScale(new Shape(1, 28, 28));
        } else {
            throw new JobConfigException("--model " + where + " has no run.json beside it: its input preprocessing "
                    + "is unknown");
        }
        double t = Double.isNaN(threshold) && run != null
                ? run.path("config").path("model").path("threshold").asDouble(Double.NaN) : threshold;
        return dl4j(where, net, input, t);
    }

    /** The engine for a model file's bytes; damage is one line naming the file. */
    public static SparseNetwork engine(byte[] bytes, String where) {
        try {
            return SparseNetwork.of(ModelFile.read(bytes));
        } catch (ModelFormatException e) {
            throw new OutputException(where + ": " + e.getMessage(), e);
        }
    }

    private static LoadedModel dl4j(String where, MultiLayerNetwork net, InputSpec input, double threshold) {
        List<SparseVdLayer> sparse = SparseVdLayers.list(net);
        if (!Double.isNaN(threshold) && !sparse.isEmpty()) {
            SparseVdLayers.setThreshold(net.getLayerWiseConfigurations(), checkThreshold(sparse, threshold));
        }
        NetworkSpec checked;
        try {
            checked = Dl4jExport.of(net, Double.NaN, input, "{}");
        } catch (IllegalArgumentException e) {
            throw new JobConfigException("--model " + where + " is not a sparsevd network: " + e.getMessage());
        }
        return new LoadedModel(where, "dl4j", input, checked.classes(), Scoring.dl4j(net), null);
    }

    /**
     * {@code threshold}, if it lies in every Sparse VD layer's log alpha clip range (--log-alpha-min,
     * --log-alpha-max] of the run that trained it ({@link Checks#threshold}); else a one-line error.
     */
    static double checkThreshold(List<SparseVdLayer> sparse, double threshold) {
        for (SparseVdLayer layer : sparse) {
            Checks.threshold("--threshold", threshold, layer.getLogAlphaMin(), layer.getLogAlphaMax());
        }
        return threshold;
    }

    private static byte[] readAll(FileSystem fs, Path file, String where) {
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new OutputException("--model " + where + " cannot be read: " + e.getMessage(), e);
        }
    }
}
