package org.sparsevd.core.layers;

import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.spec.SparseVdParamInitializer;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.slf4j.LoggerFactory;

/**
 * What {@link SparseVdDenseLayer} and {@link SparseVdConvolutionLayer} do alike in the methods they override. The
 * two extend different DL4J configuration classes (a convolution layer must be DL4J's {@code ConvolutionLayer} for
 * input types and preprocessors), so they cannot inherit it: each override is one call here. The warning about
 * skipInputGradient on a layer that is not a network's first serves {@link NativeConvolutionLayer} too.
 */
final class SparseVdOverrides {
    private SparseVdOverrides() {
    }

    /**
     * The runtime layer DL4J instantiates from {@code layer}'s configuration: nIn and nOut set, the settings and
     * {@code unsupported} checked as {@link SparseVdSettings#checkLayer} does, a warning for an input gradient
     * skipped below the first layer, then the {@code runtime} layer made of {@code conf} and {@code dataType}: its
     * listeners, index, parameters (views of {@code paramsView}, initialized if {@code initializeParams}) and
     * configuration set.
     */
    static <L extends FeedForwardLayer & SparseVdLayer> org.deeplearning4j.nn.api.Layer instantiate(L layer,
            String unsupported, BiFunction<NeuralNetConfiguration, DataType, ? extends BaseLayer<?>> runtime,
            NeuralNetConfiguration conf, DataType dataType, Collection<TrainingListener> listeners, int layerIndex,
            INDArray paramsView, boolean initializeParams) {
        String type = layer.getClass().getSimpleName();
        LayerValidation.assertNInNOutSet(type, layer.getLayerName(), layerIndex, layer.getNIn(), layer.getNOut());
        layer.getSparseVd().checkLayer(type, layer.getLayerName(), unsupported, true);
        warnIfSkippingNotFirst(layer, layer.isSkipInputGradient(), layerIndex);
        BaseLayer<?> made = runtime.apply(conf, dataType);
        made.setListeners(listeners);
        made.setIndex(layerIndex);
        made.setParamsViewArray(paramsView);
        made.setParamTable(SparseVdParamInitializer.getInstance().init(conf, paramsView, initializeParams));
        made.setConf(conf);
        return made;
    }

    /** L1/L2/weight decay as DL4J's layer ({@code inherited}) has them, never on logSigma2. */
    static List<Regularization> regularization(String paramName, Function<String, List<Regularization>> inherited) {
        return SparseVdParamInitializer.LOG_SIGMA2_KEY.equals(paramName) ? List.of() : inherited.apply(paramName);
    }

    /**
     * The layer's memory use: its parameters and updater state; logα and the masked weights at inference (2
     * weight-sized arrays); exp(logσ²) cached for backprop and 5 weight-sized temporaries of the KL gradient in
     * training; per example, {@code variableInference} and {@code variableTrain} as the layer counts them, plus a
     * copy of the input under dropout.
     */
    static <L extends FeedForwardLayer & SparseVdLayer> LayerMemoryReport memoryReport(L layer, InputType in,
            InputType out, long variableInference, long variableTrain) {
        long numParams = layer.initializer().numParams(layer);
        long updaterStateSize = layer.getIUpdater() == null ? 0 : layer.getIUpdater().stateSize(numParams);
        long weights = 1;
        for (long d : layer.weightShape()) {
            weights *= d;
        }
        long dropoutCopy = layer.getIDropout() == null ? 0 : in.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layer.getLayerName(), layer.getClass(), in, out)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(2 * weights, variableInference, 6 * weights, variableTrain + dropoutCopy)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** The layer's toString: its class name, DL4J's fields ({@code inherited}), then its settings. */
    static String describe(SparseVdLayer layer, String inherited) {
        return layer.getClass().getSimpleName() + "(" + inherited + layer.getSparseVd().describe() + ")";
    }

    /** Warns when a layer other than a network's first ({@code layerIndex} 0) skips its input gradient. */
    static void warnIfSkippingNotFirst(org.deeplearning4j.nn.conf.layers.Layer layer, boolean skipInputGradient,
                                       int layerIndex) {
        if (skipInputGradient && layerIndex != 0) {
            LoggerFactory.getLogger(layer.getClass()).warn("{} \"{}\" (index {}) has skipInputGradient=true: it "
                    + "returns no input gradient, which is only correct for a network's first layer",
                    layer.getClass().getSimpleName(), layer.getLayerName(), layerIndex);
        }
    }
}
