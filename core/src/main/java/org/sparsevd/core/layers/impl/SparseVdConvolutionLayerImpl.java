package org.sparsevd.core.layers.impl;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.sparsevd.core.layers.spec.SparseVdLayer;

import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.BIAS_KEY;
import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.WEIGHT_KEY;

/**
 * Runtime SparseVD 2-D convolution layer (see {@link org.sparsevd.core.layers.SparseVdConvolutionLayer}), NCHW, on libnd4j's {@code conv2d}
 * and {@code conv2d_bp} ops ({@link Conv2d}; weights [nOut, nIn, kH, kW]).
 *
 * <p><b>Training forward</b>, the local reparameterization trick for convolutions (Molchanov et al., 2017, sec. 4.2,
 * with eq. 7's Gaussian pre-activations): μ = conv(x, W) + b, σ² = conv(x∘x, exp(logσ²)),
 * z = μ + sqrt(σ² + 1e-8)∘ε with ε ~ N(0, 1) seeded from {@code Nd4j.getRandom()}, one per output element;
 * out = activation(z). x, x∘x, exp(logσ²), ε/σ and z are cached ({@link ArrayType#INPUT}) for the backward pass.
 *
 * <p><b>Inference forward</b>: out = activation(conv(x, W∘mask) + b), mask = [clip(logα) &lt; threshold].
 *
 * <p><b>Backward</b>: with δ = dL/dz and P = ½·δ∘ε/σ (= dL/dσ²): (dL/dx, dL/dW, dL/db) = conv2d_bp(x, W, b, δ);
 * (dL/d(x∘x), dL/dexp(logσ²)) = conv2d_bp(x∘x, exp(logσ²), P); dL/dlogσ² = dL/dexp(logσ²)∘exp(logσ²);
 * the input gradient gets 2x∘dL/d(x∘x) added. A layer that skips its input gradient (a network's first) computes
 * the two weight gradients alone where {@link Conv2d#weightGradientByConvolution} holds ({@link Conv2d#weightGradient}).
 * The KL term of eq. 14 enters score and gradients exactly as in the
 * dense layer ({@link SparseVdLayerImpl}).
 */
public class SparseVdConvolutionLayerImpl<C extends ConvolutionLayer & SparseVdLayer> extends SparseVdLayerImpl<C> {

    public SparseVdConvolutionLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, 'c');
    }

    /** conv(x, W) (+ b), for x [minibatch, nIn channels, height, width]. */
    @Override
    protected LinearMap linearMap(INDArray x, INDArray w) {
        return Conv2d.of(layerConf(), x, w, layerId());
    }

    @Override
    protected INDArray dataGradients(INDArray x, INDArray delta, INDArray gW, INDArray gLogSigma2, INDArray gB,
                                     boolean inputGradient, LayerWorkspaceMgr mgr) {
        Conv2d g = Conv2d.of(layerConf(), x, getParam(WEIGHT_KEY), layerId());
        OpExecutioner ex = Nd4j.getExecutioner();
        INDArray p = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, delta.shape(), order);
        ex.exec(new MulOp(delta, cacheNoiseOverStd, p));
        p.muli(0.5);                                                      // P = dL/dσ² = ½δ∘ε/σ

        if (!inputGradient && g.weightGradientByConvolution(x)) {
            g.weightGradient(x, delta, gW, gB);
            g.weightGradient(cacheInputSq, p, gLogSigma2, null);
            ex.exec(new MulOp(gLogSigma2, cacheExpLogSigma2, gLogSigma2)); // dL/dlogσ² = dL/dexp(logσ²)∘exp(logσ²)
            return null;
        }
        INDArray gradX = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), order);
        g.backprop(x, getParam(WEIGHT_KEY), getParam(BIAS_KEY), delta, gradX, gW, gB);
        INDArray gradXSq = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), order);
        g.backprop(cacheInputSq, cacheExpLogSigma2, null, p, gradXSq, gLogSigma2, null);
        ex.exec(new MulOp(gLogSigma2, cacheExpLogSigma2, gLogSigma2));    // dL/dlogσ² = dL/dexp(logσ²)∘exp(logσ²)

        if (!inputGradient) {
            return null;
        }
        ex.exec(new MulOp(gradXSq, x, gradXSq));
        ex.exec(new Axpy(gradXSq, gradX, gradX, 2.0));                   // dL/dx += 2x∘dL/d(x∘x)
        return gradX;
    }
}
