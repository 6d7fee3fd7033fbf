package org.sparsevd.core.layers.impl;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.sparsevd.core.layers.spec.SparseVdLayer;

import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.BIAS_KEY;
import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.WEIGHT_KEY;

/**
 * Runtime SparseVD 2-D convolution layer (see {@link org.sparsevd.core.layers.SparseVdConvolutionLayer}), NCHW, on libnd4j's {@code conv2d}
 * and {@code conv2d_bp} ops (weights [nOut, nIn, kH, kW]).
 *
 * <p><b>Training forward</b>, the local reparameterization trick for convolutions (Molchanov et al., 2017, sec. 4.2,
 * with eq. 7's Gaussian pre-activations): μ = conv(x, W) + b, σ² = conv(x∘x, exp(logσ²)),
 * z = μ + sqrt(σ² + 1e-8)∘ε with ε ~ N(0, 1) drawn from {@code Nd4j.getRandom()}, one per output element;
 * out = activation(z). x, x∘x, exp(logσ²), ε/σ and z are cached ({@link ArrayType#INPUT}) for the backward pass.
 *
 * <p><b>Inference forward</b>: out = activation(conv(x, W∘mask) + b), mask = [clip(logα) &lt; threshold].
 *
 * <p><b>Backward</b>: with δ = dL/dz and P = ½·δ∘ε/σ (= dL/dσ²): (dL/dx, dL/dW, dL/db) = conv2d_bp(x, W, b, δ);
 * (dL/d(x∘x), dL/dexp(logσ²)) = conv2d_bp(x∘x, exp(logσ²), P); dL/dlogσ² = dL/dexp(logσ²)∘exp(logσ²);
 * the input gradient gets 2x∘dL/d(x∘x) added. The KL term of eq. 14 enters score and gradients exactly as in the
 * dense layer ({@link SparseVdLayerImpl}).
 */
public class SparseVdConvolutionLayerImpl<C extends ConvolutionLayer & SparseVdLayer> extends SparseVdLayerImpl<C> {

    public SparseVdConvolutionLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, 'c');
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    /** Kernel, stride, padding, dilation and output size of a convolution of {@code x}, as DL4J's ConvolutionLayer. */
    private record Geometry(int[] kernel, int[] stride, int[] pad, int[] dilation, boolean same, long[] outShape)
            implements LinearMap {
        @Override
        public void apply(INDArray x, INDArray weights, INDArray biasOrNull, INDArray out) {
            conv(x, weights, biasOrNull, out, this);
        }

        /** libnd4j's integer arguments: kH, kW, sH, sW, pH, pW, dH, dW, same, NCHW, weights [oC, iC, kH, kW]. */
        int[] iArgs() {
            return new int[]{kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1],
                    same ? 1 : 0, 0, 1};
        }
    }

    private Geometry geometry(INDArray x) {
        C c = layerConf();
        int[] kernel = c.getKernelSize();
        int[] stride = c.getStride();
        int[] dilation = c.getDilation();
        ConvolutionMode mode = c.getConvolutionMode();
        int[] pad;
        int[] outSize;
        if (mode == ConvolutionMode.Same) {
            outSize = ConvolutionUtils.getOutputSize(x, kernel, stride, null, mode, dilation, CNN2DFormat.NCHW);
            pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, new int[]{(int) x.size(2), (int) x.size(3)},
                    kernel, stride, dilation);
        } else {
            pad = c.getPadding();
            outSize = ConvolutionUtils.getOutputSize(x, kernel, stride, pad, mode, dilation, CNN2DFormat.NCHW);
        }
        return new Geometry(kernel, stride, pad, dilation, mode == ConvolutionMode.Same,
                new long[]{x.size(0), c.getNOut(), outSize[0], outSize[1]});
    }

    /** out = conv(x, w) (+ b unless null). */
    private static void conv(INDArray x, INDArray w, INDArray bOrNull, INDArray out, Geometry g) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d")
                .addIntegerArguments(g.iArgs()).addOutputs(out);
        op = bOrNull == null ? op.addInputs(x, w) : op.addInputs(x, w, bOrNull);
        Nd4j.exec(op.build());
    }

    /** Gradients of conv(x, w) (+ b) given δ = dL/d out: into gradX, gradW (and gradB unless b is null). */
    private static void convBackprop(INDArray x, INDArray w, INDArray bOrNull, INDArray delta, INDArray gradX,
                                     INDArray gradW, INDArray gradB, Geometry g) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp")
                .addIntegerArguments(g.iArgs());
        op = bOrNull == null ? op.addInputs(x, w, delta).addOutputs(gradX, gradW)
                : op.addInputs(x, w, bOrNull, delta).addOutputs(gradX, gradW, gradB);
        Nd4j.exec(op.build());
    }

    /** conv(x, W) (+ b), for x [minibatch, nIn channels, height, width]. */
    @Override
    protected LinearMap linearMap(INDArray x, INDArray w) {
        if (x.rank() != 4 || x.size(1) != w.size(1)) {
            throw new DL4JInvalidInputException("Input of shape " + Arrays.toString(x.shape()) + " is invalid: expected "
                    + "rank 4 [minibatch, " + w.size(1) + " channels, height, width] (NCHW) " + layerId());
        }
        return geometry(x);
    }

    @Override
    protected INDArray dataGradients(INDArray x, INDArray delta, INDArray gW, INDArray gLogSigma2, INDArray gB,
                                     boolean inputGradient, LayerWorkspaceMgr mgr) {
        Geometry g = geometry(x);
        OpExecutioner ex = Nd4j.getExecutioner();

        INDArray gradX = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), order);
        convBackprop(x, getParam(WEIGHT_KEY), getParam(BIAS_KEY), delta, gradX, gW, gB, g);

        INDArray p = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, delta.shape(), order);
        ex.exec(new MulOp(delta, cacheNoiseOverStd, p));
        p.muli(0.5);                                                      // P = dL/dσ² = ½δ∘ε/σ
        INDArray gradXSq = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), order);
        convBackprop(cacheInputSq, cacheExpLogSigma2, null, p, gradXSq, gLogSigma2, null, g);
        ex.exec(new MulOp(gLogSigma2, cacheExpLogSigma2, gLogSigma2));    // dL/dlogσ² = dL/dexp(logσ²)∘exp(logσ²)

        if (!inputGradient) {
            return null;
        }
        ex.exec(new MulOp(gradXSq, x, gradXSq));
        ex.exec(new Axpy(gradXSq, gradX, gradX, 2.0));                   // dL/dx += 2x∘dL/d(x∘x)
        return gradX;
    }
}
