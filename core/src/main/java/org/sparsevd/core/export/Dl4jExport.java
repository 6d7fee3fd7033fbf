package org.sparsevd.core.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.engine.InputSpec;
import org.sparsevd.core.engine.LayerSpec;
import org.sparsevd.core.engine.NetworkSpec;
import org.sparsevd.core.engine.Shape;
import org.sparsevd.core.kl.LogAlpha;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.spec.SparseVdParamInitializer;

/**
 * The engine's description of a DL4J network built by {@code core}'s {@code arch} package (any variant): dense and
 * convolution layers (Sparse VD ones keep the weights with clip(log α) &lt; threshold, as their inference mask;
 * plain ones keep every weight), max pooling, local response normalization, batch normalization folded into the
 * preceding layer ({@code W·γ/√(σ²+ε)}, {@code (b − μ)·γ/√(σ²+ε) + β}), ReLU (merged into the preceding layer when
 * that has none), and a softmax last. Anything else is refused with an {@link IllegalArgumentException} naming it.
 */
public final class Dl4jExport {

    private Dl4jExport() {
    }

    /**
     * @param net        the network (its Sparse VD layers' own thresholds are ignored when {@code threshold} is
     *                   finite)
     * @param threshold  the log α threshold; NaN: each Sparse VD layer's own
     * @param input      its input shape and preprocessing (the shape must be the network's)
     * @param provenance a JSON object describing where the network came from
     */
    public static NetworkSpec of(MultiLayerNetwork net, double threshold, InputSpec input, String provenance) {
        List<LayerSpec> layers = new ArrayList<>();
        Shape shape = input.shape();
        int n = net.getnLayers();
        double used = Double.NaN;
        for (int i = 0; i < n; i++) {
            Layer conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
            String name = conf.getLayerName() == null ? "layer" + i : conf.getLayerName();
            Map<String, INDArray> params = net.getLayer(i).paramTable();
            boolean last = i == n - 1;
            if (conf instanceof LossLayer loss) {
                requireLastSoftmax(name, loss.getActivationFn(), last);
                continue;
            }
            if (conf instanceof ConvolutionLayer c) {
                double t = threshold(c, threshold);
                used = Double.isNaN(t) ? used : t;
                layers.add(conv(c, name, shape, params, t));
            } else if (conf instanceof FeedForwardLayer f && params.containsKey(SparseVdParamInitializer.WEIGHT_KEY)
                    && !(conf instanceof BatchNormalization)) {
                double t = threshold(f, threshold);
                used = Double.isNaN(t) ? used : t;
                boolean output = conf instanceof BaseOutputLayer;
                if (output) {
                    requireLastSoftmax(name, f.getActivationFn(), last);
                }
                layers.add(dense(f, name, shape, params, t, output));
            } else if (conf instanceof SubsamplingLayer p) {
                layers.add(pool(p, name, shape));
            } else if (conf instanceof LocalResponseNormalization lrn) {
                if (lrn.getN() != Math.rint(lrn.getN())) {
                    throw new IllegalArgumentException(name + ": LRN depth n must be an integer, got " + lrn.getN());
                }
                layers.add(new LayerSpec.Lrn(name, shape, lrn.getK(), (int) lrn.getN(), lrn.getAlpha(),
                        lrn.getBeta()));
            } else if (conf instanceof BatchNormalization bn) {
                layers.set(layers.size() - 1, fold(bn, name, params, previous(layers, name)));
            } else if (conf instanceof ActivationLayer a) {
                if (a.getActivationFn() instanceof ActivationReLU) {
                    LayerSpec prev = layers.isEmpty() ? null : layers.get(layers.size() - 1);
                    LayerSpec merged = prev == null ? null : withRelu(prev);
                    if (merged != null) {
                        layers.set(layers.size() - 1, merged);
                    } else {
                        layers.add(new LayerSpec.Relu(name, shape));
                    }
                } else if (!(a.getActivationFn() instanceof ActivationIdentity)) {
                    throw new IllegalArgumentException(name + ": activation " + a.getActivationFn()
                            + " is not supported (relu or identity)");
                }
            } else {
                throw new IllegalArgumentException(name + ": layer type " + conf.getClass().getSimpleName()
                        + " is not supported by the exporter");
            }
            if (!layers.isEmpty()) {
                shape = layers.get(layers.size() - 1).out();
            }
        }
        return new NetworkSpec(input, layers, used, provenance);
    }

    private static double threshold(Layer conf, double threshold) {
        if (!(conf instanceof SparseVdLayer s)) {
            return Double.NaN;
        }
        return Double.isNaN(threshold) ? s.getThreshold() : threshold;
    }

    private static void requireLastSoftmax(String name, IActivation act, boolean last) {
        if (!last || !(act instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException(name + ": the network must end with a softmax output or loss layer");
        }
    }

    /** Kept positions and values of W (flattened in C order), by the Sparse VD mask or all of them. */
    private static LayerSpec.Dense dense(FeedForwardLayer f, String name, Shape in, Map<String, INDArray> params,
                                         double threshold, boolean output) {
        int outputs = (int) f.getNOut();
        if (f.getNIn() != in.size()) {
            throw new IllegalArgumentException(name + ": takes " + f.getNIn() + " inputs but gets " + in);
        }
        Kept kept = kept(f, params, threshold);
        return new LayerSpec.Dense(name, in, outputs, !output && relu(name, f.getActivationFn()), kept.positions,
                kept.values, bias(params, outputs));
    }

    private static LayerSpec.Conv conv(ConvolutionLayer c, String name, Shape in, Map<String, INDArray> params,
                                       double threshold) {
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] d = c.getDilation();
        if (k.length != 2 || d[0] != 1 || d[1] != 1 || c.getNIn() != in.channels()) {
            throw new IllegalArgumentException(name + ": only 2-D, undilated convolutions of the input's channels are "
                    + "supported");
        }
        int[][] window = window(name, in, k, s, c.getPadding(), c.getConvolutionMode());
        Shape out = new Shape((int) c.getNOut(), window[0][0], window[0][1]);
        Kept kept = kept(c, params, threshold);
        return new LayerSpec.Conv(name, in, out, k[0], k[1], s[0], s[1], window[1][0], window[1][1],
                relu(name, c.getActivationFn()), kept.positions, kept.values, bias(params, (int) c.getNOut()));
    }

    private static LayerSpec.MaxPool pool(SubsamplingLayer p, String name, Shape in) {
        if (p.getPoolingType() != PoolingType.MAX) {
            throw new IllegalArgumentException(name + ": only max pooling is supported, got " + p.getPoolingType());
        }
        int[] d = p.getDilation();
        if (d[0] != 1 || d[1] != 1) {
            throw new IllegalArgumentException(name + ": dilated pooling is not supported");
        }
        int[][] window = window(name, in, p.getKernelSize(), p.getStride(), p.getPadding(), p.getConvolutionMode());
        return new LayerSpec.MaxPool(name, in, new Shape(in.channels(), window[0][0], window[0][1]),
                p.getKernelSize()[0], p.getKernelSize()[1], p.getStride()[0], p.getStride()[1], window[1][0],
                window[1][1]);
    }

    /**
     * {{outHeight, outWidth}, {padTop, padLeft}} as DL4J computes them: Same mode ⌈in / stride⌉ with the padding
     * split evenly (the odd one after), else ⌊(in + 2·pad − kernel) / stride⌋ + 1.
     */
    private static int[][] window(String name, Shape in, int[] k, int[] s, int[] pad, ConvolutionMode mode) {
        int[] size = {in.height(), in.width()};
        int[] out = new int[2];
        int[] top = new int[2];
        for (int a = 0; a < 2; a++) {
            if (mode == ConvolutionMode.Same) {
                out[a] = (size[a] + s[a] - 1) / s[a];
                top[a] = Math.max(0, (out[a] - 1) * s[a] + k[a] - size[a]) / 2;
            } else if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
                out[a] = (size[a] + 2 * pad[a] - k[a]) / s[a] + 1;
                top[a] = pad[a];
            } else {
                throw new IllegalArgumentException(name + ": convolution mode " + mode + " is not supported");
            }
        }
        return new int[][] {out, top};
    }

    private record Kept(int[] positions, float[] values) {
    }

    private static Kept kept(Layer conf, Map<String, INDArray> params, double threshold) {
        INDArray w = params.get(SparseVdParamInitializer.WEIGHT_KEY);
        float[] all = w.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] mask = null;
        if (conf instanceof SparseVdLayer s) {
            INDArray logAlpha = LogAlpha.compute(w, params.get(SparseVdParamInitializer.LOG_SIGMA2_KEY),
                    s.getLogAlphaMin(), s.getLogAlphaMax());
            mask = LogAlpha.keepMask(logAlpha, threshold).castTo(DataType.FLOAT).dup('c').data().asFloat();
        }
        int count = 0;
        for (int p = 0; p < all.length; p++) {
            if (mask == null || mask[p] != 0f) {
                count++;
            }
        }
        int[] positions = new int[count];
        float[] values = new float[count];
        int k = 0;
        for (int p = 0; p < all.length; p++) {
            if (mask == null || mask[p] != 0f) {
                positions[k] = p;
                values[k++] = all[p];
            }
        }
        return new Kept(positions, values);
    }

    private static float[] bias(Map<String, INDArray> params, int n) {
        INDArray b = params.get(SparseVdParamInitializer.BIAS_KEY);
        return b == null ? new float[n] : b.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static boolean relu(String name, IActivation act) {
        if (act instanceof ActivationReLU) {
            return true;
        }
        if (act instanceof ActivationIdentity) {
            return false;
        }
        throw new IllegalArgumentException(name + ": activation " + act + " is not supported (relu or identity)");
    }

    private static LayerSpec previous(List<LayerSpec> layers, String name) {
        LayerSpec prev = layers.isEmpty() ? null : layers.get(layers.size() - 1);
        boolean foldable = prev instanceof LayerSpec.Dense d && !d.relu() || prev instanceof LayerSpec.Conv c
                && !c.relu();
        if (!foldable) {
            throw new IllegalArgumentException(name + ": batch normalization must follow a dense or convolution layer "
                    + "without activation");
        }
        return prev;
    }

    /** The preceding weighted layer with the batch normalization's inference transform folded in. */
    private static LayerSpec fold(BatchNormalization bn, String name, Map<String, INDArray> params, LayerSpec prev) {
        float[] bias = prev instanceof LayerSpec.Dense d ? d.bias() : ((LayerSpec.Conv) prev).bias();
        int channels = bias.length;
        double[] mean = doubles(params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN), channels, name);
        double[] var;
        if (params.containsKey(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
            double[] log10Std = doubles(params.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD), channels, name);
            var = new double[channels];
            for (int c = 0; c < channels; c++) {
                double std = Math.pow(10, log10Std[c]);
                var[c] = std * std;
            }
        } else {
            var = doubles(params.get(BatchNormalizationParamInitializer.GLOBAL_VAR), channels, name);
        }
        double[] gamma = params.containsKey(BatchNormalizationParamInitializer.GAMMA)
                ? doubles(params.get(BatchNormalizationParamInitializer.GAMMA), channels, name) : filled(channels,
                bn.getGamma());
        double[] beta = params.containsKey(BatchNormalizationParamInitializer.BETA)
                ? doubles(params.get(BatchNormalizationParamInitializer.BETA), channels, name) : filled(channels,
                bn.getBeta());
        double[] scale = new double[channels];
        float[] newBias = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = gamma[c] / Math.sqrt(var[c] + bn.getEps());
            newBias[c] = (float) ((bias[c] - mean[c]) * scale[c] + beta[c]);
        }
        if (prev instanceof LayerSpec.Dense d) {
            float[] values = d.values().clone();
            for (int k = 0; k < values.length; k++) {
                values[k] = (float) (values[k] * scale[d.positions()[k] % channels]);
            }
            return new LayerSpec.Dense(d.name(), d.in(), d.outputs(), false, d.positions(), values, newBias);
        }
        LayerSpec.Conv c = (LayerSpec.Conv) prev;
        int perFilter = c.in().channels() * c.kh() * c.kw();
        float[] values = c.values().clone();
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) (values[k] * scale[c.positions()[k] / perFilter]);
        }
        return new LayerSpec.Conv(c.name(), c.in(), c.out(), c.kh(), c.kw(), c.sh(), c.sw(), c.padTop(), c.padLeft(),
                false, c.positions(), values, newBias);
    }

    /** The layer with a ReLU applied after it, or null if it cannot take one (it has one, or no weights). */
    private static LayerSpec withRelu(LayerSpec l) {
        if (l instanceof LayerSpec.Dense d && !d.relu()) {
            return new LayerSpec.Dense(d.name(), d.in(), d.outputs(), true, d.positions(), d.values(), d.bias());
        }
        if (l instanceof LayerSpec.Conv c && !c.relu()) {
            return new LayerSpec.Conv(c.name(), c.in(), c.out(), c.kh(), c.kw(), c.sh(), c.sw(), c.padTop(),
                    c.padLeft(), true, c.positions(), c.values(), c.bias());
        }
        return null;
    }

    private static double[] doubles(INDArray a, int n, String name) {
        if (a == null || a.length() != n) {
            throw new IllegalArgumentException(name + ": batch normalization parameters do not match " + n
                    + " channels");
        }
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static double[] filled(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }
}
