package org.sparsevd.job.train;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.layers.spec.SparseVdParamInitializer;
import org.sparsevd.job.config.JobConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.job.output.Provenance;

/**
 * {@code train --init-from}: starts a network from a trained one of the same architecture, as the paper does for
 * LeNet-5 and VGG-like (Molchanov et al., 2017, sec. 5: Sparse VD trained from a pretrained network). Layers are
 * matched by name; every parameter of the source (weights, biases, batch-norm statistics) is copied into the
 * parameter of the same name and shape, except log σ², which keeps the target's initial value. The layers with
 * parameters must be the same, by name, in both.
 */
final class Pretrained {
    private static final Logger log = LoggerFactory.getLogger(Pretrained.class);

    private Pretrained() {
    }

    /** Copies {@code source}'s parameters into {@code target}; a one-line {@link JobConfigException} otherwise. */
    static void copyInto(MultiLayerNetwork target, URI source, Configuration conf) {
        MultiLayerNetwork from = read(source, conf);
        Map<String, Layer> sourceLayers = byName(from, source);
        Map<String, Layer> targetLayers = byName(target, source);
        if (!sourceLayers.keySet().equals(targetLayers.keySet())) {
            throw mismatch(source, "its layers with parameters are " + sourceLayers.keySet() + ", this model's are "
                    + targetLayers.keySet());
        }
        long copied = 0;
        for (Map.Entry<String, Layer> e : sourceLayers.entrySet()) {
            Layer t = targetLayers.get(e.getKey());
            for (Map.Entry<String, INDArray> p : e.getValue().paramTable().entrySet()) {
                if (p.getKey().equals(SparseVdParamInitializer.LOG_SIGMA2_KEY)) {
                    continue;
                }
                INDArray into = t.paramTable().get(p.getKey());
                if (into == null || !sameShape(into, p.getValue())) {
                    throw mismatch(source, "layer " + e.getKey() + " has " + p.getKey() + " of shape "
                            + Arrays.toString(p.getValue().shape()) + ", this model's is "
                            + (into == null ? "missing" : Arrays.toString(into.shape())));
                }
                into.assign(p.getValue().castTo(into.dataType()).reshape(into.shape()));
                copied += into.length();
            }
        }
        log.info("Initialized {} parameters from {}", copied, Provenance.redact(source));
    }

    /** Equal shapes, or vectors of the same length (DL4J keeps some biases as [n], others as [1, n]). */
    private static boolean sameShape(INDArray a, INDArray b) {
        return Arrays.equals(a.shape(), b.shape()) || a.isVector() && b.isVector() && a.length() == b.length();
    }

    private static MultiLayerNetwork read(URI source, Configuration conf) {
        try {
            FileSystem fs = FileSystem.get(source, conf);
            Path path = new Path(source);
            if (!fs.isFile(path)) {
                throw new JobConfigException("--init-from " + source + ": no such file");
            }
            try (InputStream in = fs.open(path)) {
                return ModelSerializer.restoreMultiLayerNetwork(in, false);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof JobConfigException j) {
                throw j;
            }
            throw new JobConfigException("--init-from " + source + " is not a readable DL4J MultiLayerNetwork file ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines()
                    .findFirst().orElse("")) + ")");
        }
    }

    /** The layers that have parameters, by configured name. */
    private static Map<String, Layer> byName(MultiLayerNetwork net, URI source) {
        Map<String, Layer> out = new HashMap<>();
        for (Layer l : net.getLayers()) {
            if (l.numParams() > 0 && out.put(l.conf().getLayer().getLayerName(), l) != null) {
                throw mismatch(source, "layer name " + l.conf().getLayer().getLayerName() + " is not unique");
            }
        }
        return out;
    }

    private static JobConfigException mismatch(URI source, String why) {
        return new JobConfigException("--init-from " + source + " is not a network of this architecture: " + why);
    }
}
