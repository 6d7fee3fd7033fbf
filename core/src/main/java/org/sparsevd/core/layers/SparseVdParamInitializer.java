package org.sparsevd.core.layers;

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
 * same shape as W) and {@code b} [1, nOut]. W is [nIn, nOut] in 'f' order for a {@link SparseVdDenseLayer} and
 * [nOut, nIn, kH, kW] in 'c' order (DL4J's ConvolutionLayer layout) for a {@link SparseVdConvolutionLayer}.
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
        FeedForwardLayer l = (FeedForwardLayer) layer;
        return 2 * weightCount(l) + l.getNOut();
    }

    /** The shape of W (and logσ²). */
    static long[] weightShape(FeedForwardLayer l) {
        if (l instanceof SparseVdConvolutionLayer conv) {
            int[] k = conv.getKernelSize();
            return new long[]{l.getNOut(), l.getNIn(), k[0], k[1]};
        }
        return new long[]{l.getNIn(), l.getNOut()};
    }

    private static char weightOrder(FeedForwardLayer l) {
        return l instanceof SparseVdConvolutionLayer ? 'c' : 'f';
    }

    private static long weightCount(FeedForwardLayer l) {
        long n = 1;
        for (long d : weightShape(l)) {
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
        if (!(conf.getLayer() instanceof FeedForwardLayer) || !(conf.getLayer() instanceof SparseVdLayer)) {
            throw new IllegalArgumentException("SparseVdParamInitializer needs a SparseVD feed-forward layer, got "
                    + conf.getLayer().getClass().getName());
        }
        FeedForwardLayer l = (FeedForwardLayer) conf.getLayer();
        long nOut = l.getNOut();
        long expected = numParams(l);
        if (paramsView.length() != expected) {
            throw new IllegalStateException("Expected params view of length " + expected + ", got " + paramsView.length());
        }
        INDArray flat = paramsView.reshape(paramsView.length());
        long nW = weightCount(l);
        long[] shape = weightShape(l);
        char order = weightOrder(l);

        INDArray wView = flat.get(NDArrayIndex.interval(0, nW));
        INDArray w;
        if (initializeParams) {
            IWeightInit init = l.getWeightInitFn();
            if (init == null) {
                throw new IllegalStateException("No weight init set for layer \"" + l.getLayerName() + "\"");
            }
            // fan-in/fan-out of DL4J's DenseLayer ([nIn, nOut]) and ConvolutionLayer ([nOut, nIn, kH, kW], stride s)
            double receptive = shape.length == 4 ? shape[2] * shape[3] : 1;
            double fanOut = shape.length == 4
                    ? nOut * receptive / strideProduct((SparseVdConvolutionLayer) l) : nOut;
            w = init.init(l.getNIn() * receptive, fanOut, shape, order, wView);
        } else {
            w = WeightInitUtil.reshapeWeights(shape, wView, order);
        }

        INDArray ls = flat.get(NDArrayIndex.interval(nW, 2 * nW)).reshape(order, shape);
        if (initializeParams) {
            ls.assign(((SparseVdLayer) l).getLogSigma2Init());
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
        FeedForwardLayer l = (FeedForwardLayer) conf.getLayer();
        long nOut = l.getNOut();
        long nW = weightCount(l);
        long[] shape = weightShape(l);
        char order = weightOrder(l);
        INDArray flat = gradientView.reshape(gradientView.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(WEIGHT_KEY, flat.get(NDArrayIndex.interval(0, nW)).reshape(order, shape));
        out.put(LOG_SIGMA2_KEY, flat.get(NDArrayIndex.interval(nW, 2 * nW)).reshape(order, shape));
        out.put(BIAS_KEY, flat.get(NDArrayIndex.interval(2 * nW, 2 * nW + nOut)).reshape(1, nOut));
        return out;
    }

    private static double strideProduct(SparseVdConvolutionLayer l) {
        return (double) l.getStride()[0] * l.getStride()[1];
    }
}
