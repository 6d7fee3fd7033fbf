package org.sparsevd.core.layers.impl;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.layers.NativeConvolutionLayer;

import static org.deeplearning4j.nn.params.ConvolutionParamInitializer.BIAS_KEY;
import static org.deeplearning4j.nn.params.ConvolutionParamInitializer.WEIGHT_KEY;

/**
 * Runtime plain 2-D convolution layer (see {@link org.sparsevd.core.layers.NativeConvolutionLayer}): DL4J's
 * ConvolutionLayer's parameters and math, computed with libnd4j's {@code conv2d} and {@code conv2d_bp} ops
 * ({@link Conv2d}, oneDNN with this build's natives) instead of DL4J's Java-side im2col and gemm.
 *
 * <p>Forward: z = conv(x, W) + b, out = activation(z); in training x and z are cached ({@link ArrayType#INPUT})
 * for the backward pass. Backward: δ = dL/dz, (dL/dx, dL/dW, dL/db) = conv2d_bp(x, W, b, δ), the parameter gradients
 * written into the gradient views (DL4J's updater divides them by the minibatch size); dL/dx goes back through the
 * layer's input dropout, if any. With skipInputGradient (a network's first layer) it returns no dL/dx and, where
 * {@link Conv2d#weightGradientByConvolution} holds, computes none ({@link Conv2d#weightGradient}).
 */
public class NativeConvolutionLayerImpl extends CachedForwardLayer<NativeConvolutionLayer> {

    public NativeConvolutionLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, 'c');
    }

    /** z = conv(x, W) + b; in training z lives in the INPUT workspace and is cached with x. */
    @Override
    protected INDArray preOutputInternal(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        clearCaches();
        INDArray w = getParam(WEIGHT_KEY);
        INDArray x = contiguous(input.castTo(dataType), order, mgr, ArrayType.INPUT);
        Conv2d conv = Conv2d.of(layerConf(), x, w, layerId());
        INDArray z = mgr.createUninitialized(training ? ArrayType.INPUT : ArrayType.ACTIVATIONS, dataType,
                conv.outShape(), order);
        conv.apply(x, w, bias(), z);
        if (training) {
            cacheInput = x;
            cachePreOutput = z;
        }
        return z;
    }

    private INDArray bias() {
        return hasBias() ? getParam(BIAS_KEY) : null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        INDArray delta = delta(epsilon, mgr);
        INDArray x = cacheInput;
        INDArray w = getParam(WEIGHT_KEY);
        INDArray gW = gradientViews.get(WEIGHT_KEY);
        INDArray gB = hasBias() ? gradientViews.get(BIAS_KEY) : null;
        Conv2d conv = Conv2d.of(layerConf(), x, w, layerId());
        boolean skip = layerConf().isSkipInputGradient();
        INDArray gradX = null;
        if (skip && conv.weightGradientByConvolution(x)) {
            conv.weightGradient(x, delta, gW, gB);
        } else {
            gradX = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), order);
            conv.backprop(x, w, bias(), delta, gradX, gW, gB);
        }
        clearCaches();

        Gradient gradient = new DefaultGradient();
        if (gB != null) {
            gradient.gradientForVariable().put(BIAS_KEY, gB);
        }
        gradient.gradientForVariable().put(WEIGHT_KEY, gW);
        return new Pair<>(gradient, skip ? null : backpropDropOutIfPresent(gradX));
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }
}
