package org.sparsevd.core.layers.spec;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of a SparseVD layer, in this order in the flattened parameter vector: {@code W}, {@code logSigma2} (the
 * same shape as W) and {@code b} [1, nOut]. W is [nIn, nOut] in 'f' order for a {@link org.sparsevd.core.layers.SparseVdDenseLayer} and
 * [nOut, nIn, kH, kW] in 'c' order (DL4J's ConvolutionLayer layout) for a {@link org.sparsevd.core.layers.SparseVdConvolutionLayer}.
 *
 * <p>W is initialised with the layer's weight init (fan-in and fan-out as DL4J's DenseLayer and ConvolutionLayer), logSigma2 with the layer's logSigma2Init, b with its bias
 * init. Only W is a "weight" parameter (so L1/L2/weight decay/weight constraints apply to W and b only, never to
 * logSigma2). Names contain no '_' (DL4J's updater splits gradient keys on it).
 */
public final class SparseVdParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = "W";
    public static final String LOG_SIGMA2_KEY = "logSigma2";
    public static final String BIAS_KEY = "b";

    private static final SparseVdParamInitializer INSTANCE = new SparseVdParamInitializer();

    private SparseVdParamInitializer() {
    }

    public static SparseVdParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return 2 * weightCount(sparseVd(layer)) + ((FeedForwardLayer) layer).getNOut();
    }

    /** The layer as a Sparse VD layer; anything else is refused. */
    private static SparseVdLayer sparseVd(Layer layer) {
        if (!(layer instanceof FeedForwardLayer) || !(layer instanceof SparseVdLayer l)) {
            throw new IllegalArgumentException("SparseVdParamInitializer needs a SparseVD feed-forward layer, got "
                    + layer.getClass().getName());
        }
        return l;
    }

    private static long weightCount(SparseVdLayer l) {
        long n = 1;
        for (long d : l.weightShape()) {
            n *= d;
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return Arrays.asList(WEIGHT_KEY, LOG_SIGMA2_KEY, BIAS_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.singletonList(WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.singletonList(BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        SparseVdLayer svd = sparseVd(conf.getLayer());
        FeedForwardLayer l = (FeedForwardLayer) conf.getLayer();
        long nOut = l.getNOut();
        long expected = numParams(l);
        if (paramsView.length() != expected) {
            throw new IllegalStateException("Expected params view of length " + expected + ", got " + paramsView.length());
        }
        INDArray flat = paramsView.reshape(paramsView.length());
        long nW = weightCount(svd);
        long[] shape = svd.weightShape();
        char order = svd.weightOrder();

        INDArray wView = flat.get(NDArrayIndex.interval(0, nW));
        INDArray w;
        if (initializeParams) {
            IWeightInit init = l.getWeightInitFn();
            if (init == null) {
                throw new IllegalStateException("No weight init set for layer \"" + l.getLayerName() + "\"");
            }
            double[] fans = svd.weightFans();
            w = init.init(fans[0], fans[1], shape, order, wView);
        } else {
            w = WeightInitUtil.reshapeWeights(shape, wView, order);
        }

        INDArray ls = flat.get(NDArrayIndex.interval(nW, 2 * nW)).reshape(order, shape);
        if (initializeParams) {
            ls.assign(svd.getLogSigma2Init());
        }

        INDArray b = flat.get(NDArrayIndex.interval(2 * nW, 2 * nW + nOut)).reshape(1, nOut);
        if (initializeParams) {
            b.assign(Double.isNaN(l.getBiasInit()) ? 0.0 : l.getBiasInit());
        }

        Map<String, INDArray> params = Collections.synchronizedMap(new LinkedHashMap<>());
        params.put(WEIGHT_KEY, w);
        params.put(LOG_SIGMA2_KEY, ls);
        params.put(BIAS_KEY, b);
        conf.addVariable(WEIGHT_KEY);
        conf.addVariable(LOG_SIGMA2_KEY);
        conf.addVariable(BIAS_KEY);
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        SparseVdLayer svd = sparseVd(conf.getLayer());
        long nOut = ((FeedForwardLayer) conf.getLayer()).getNOut();
        long nW = weightCount(svd);
        long[] shape = svd.weightShape();
        char order = svd.weightOrder();
        INDArray flat = gradientView.reshape(gradientView.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(WEIGHT_KEY, flat.get(NDArrayIndex.interval(0, nW)).reshape(order, shape));
        out.put(LOG_SIGMA2_KEY, flat.get(NDArrayIndex.interval(nW, 2 * nW)).reshape(order, shape));
        out.put(BIAS_KEY, flat.get(NDArrayIndex.interval(2 * nW, 2 * nW + nOut)).reshape(1, nOut));
        return out;
    }
}
