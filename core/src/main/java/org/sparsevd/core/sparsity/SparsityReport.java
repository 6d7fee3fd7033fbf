package org.sparsevd.core.sparsity;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.kl.KlApproximation;
import org.sparsevd.core.kl.LogAlpha;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.spec.SparseVdParamInitializer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Per-layer sparsity of a network, as the reference implementation reports it: for each SparseVD layer the
 * weights kept at inference (clip(logα) &lt; threshold), for each other layer with a weight parameter {@code W} its
 * non-zero weights. Layers without {@code W} (loss layers, activations, ...) are left out. Computed in double
 * precision on copies of the parameters; the network is not changed.
 */
public final class SparsityReport {

    private SparsityReport() {
    }

    /** Each SparseVD layer with its own threshold. */
    public static List<LayerSparsity> of(MultiLayerNetwork net) {
        return of(net, Double.NaN);
    }

    /** Each SparseVD layer with the given threshold instead of its own (plain layers are unaffected). */
    public static List<LayerSparsity> of(MultiLayerNetwork net, double thresholdOverride) {
        return build(net, thresholdOverride);
    }

    private static List<LayerSparsity> build(MultiLayerNetwork net, double thresholdOverride) {
        Layer[] layers = net.getLayers();
        if (layers == null) {
            throw new IllegalStateException("Network is not initialised (call init() first)");
        }
        List<LayerSparsity> out = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            Layer layer = layers[i];
            Map<String, INDArray> params = layer.paramTable();
            INDArray w = params == null ? null : params.get(SparseVdParamInitializer.WEIGHT_KEY);
            if (w == null) {
                continue;
            }
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            String name = conf.getLayerName() != null ? conf.getLayerName() : "layer" + i;
            if (conf instanceof SparseVdLayer) {
                SparseVdLayer s = (SparseVdLayer) conf;
                double threshold = Double.isNaN(thresholdOverride) ? s.getThreshold() : thresholdOverride;
                INDArray logAlpha = LogAlpha.compute(w.castTo(DataType.DOUBLE),
                        params.get(SparseVdParamInitializer.LOG_SIGMA2_KEY).castTo(DataType.DOUBLE),
                        s.getLogAlphaMin(), s.getLogAlphaMax());
                long kept = Math.round(LogAlpha.keepMask(logAlpha, threshold).sumNumber().doubleValue());
                out.add(LayerSparsity.of(name, w.length(), kept, KlApproximation.klSum(logAlpha),
                        logAlpha.meanNumber().doubleValue()));
            } else {
                long nonzero = countNonZero(w);
                out.add(LayerSparsity.of(name, w.length(), nonzero, 0.0, Double.NaN));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Exact count of entries ≠ 0 (ND4J's condition ops compare with a tolerance). */
    static long countNonZero(INDArray w) {
        long n = 0;
        for (double v : w.castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
            if (v != 0.0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Compression ratio Σ weights / Σ nonzero over the given layers. If no weight is kept at all it is
     * {@code +Infinity} (and 1.0 for an empty list, which has nothing to compress).
     */
    public static double compression(List<LayerSparsity> layers) {
        long weights = 0;
        long nonzero = 0;
        for (LayerSparsity l : layers) {
            weights += l.weights();
            nonzero += l.nonzero();
        }
        if (weights == 0) {
            return 1.0;
        }
        if (nonzero == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return (double) weights / nonzero;
    }
}
