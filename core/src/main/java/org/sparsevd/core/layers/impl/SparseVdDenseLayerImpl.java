package org.sparsevd.core.layers.impl;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.sparsevd.core.layers.spec.SparseVdLayer;

import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.WEIGHT_KEY;

/**
 * Runtime SparseVD dense layer (see {@link org.sparsevd.core.layers.SparseVdDenseLayer}).
 *
 * <p><b>Training forward</b> (local reparameterization trick): μ = xW + b, σ² = (x∘x)·exp(logσ²),
 * z = μ + sqrt(σ² + 1e-8)∘ε with ε ~ N(0, 1) seeded from {@code Nd4j.getRandom()}, one per output unit per example;
 * out = activation(z). Each training forward draws new noise; the noise (as ε/σ), x∘x, exp(logσ²) and z are cached
 * (as {@link ArrayType#INPUT}, like DL4J's dropout mask) for the backward pass of the same minibatch.
 *
 * <p><b>Inference forward</b>: out = activation(x·(W∘mask) + b), mask = [clip(logα) &lt; threshold].
 *
 * <p><b>Backward</b>: with δ = dL/dz and P = δ∘ε/σ:
 * dL/dW = xᵀδ, dL/db = Σδ, dL/dlogσ² = ½·((x∘x)ᵀP)∘exp(logσ²), dL/dx = δWᵀ + x∘(P·exp(logσ²)ᵀ) (skipped when
 * the configuration says skipInputGradient; null is returned as epsilon then), plus the KL term
 * c·dKL/dW and c·dKL/dlogσ² with c = klWeight/N·minibatch (DL4J's updater divides the whole gradient by the
 * minibatch size). The matching score term klWeight/N·ΣKL enters DL4J's score through
 * {@link #calcRegularizationScore(boolean)}; the sum computed during backprop is reused by the next call (the
 * one {@code computeGradientAndScore} makes with the same parameters) and computed afresh otherwise.
 *
 * <p>klWeight, N, threshold and the clip are read from the configuration at every step.
 */
public class SparseVdDenseLayerImpl<C extends FeedForwardLayer & SparseVdLayer> extends SparseVdLayerImpl<C> {

    /**
     * All [minibatch, n] arrays of this layer are 'f' order: with 'f' operands ND4J's gemm and element-wise ops are
     * markedly faster here (DL4J's default 'c' activations take up to 1.5x longer for x·W).
     */
    public SparseVdDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, 'f');
    }

    /** x·W (+ b) by gemm, for x [minibatch, nIn]. */
    @Override
    protected LinearMap linearMap(INDArray x, INDArray w) {
        if (x.rank() != 2 || x.columns() != w.rows()) {
            throw new DL4JInvalidInputException("Input of shape " + Arrays.toString(x.shape()) + " is invalid: expected "
                    + "rank 2 with " + w.rows() + " columns (nIn) " + layerId());
        }
        long[] outShape = {x.size(0), w.columns()};
        return new LinearMap() {
            @Override
            public long[] outShape() {
                return outShape;
            }

            @Override
            public void apply(INDArray in, INDArray weights, INDArray biasOrNull, INDArray out) {
                Nd4j.gemm(in, weights, out, false, false, 1.0, 0.0);
                if (biasOrNull != null) {
                    out.addiRowVector(biasOrNull);
                }
            }
        };
    }

    @Override
    protected void maskOutputShaped(INDArray a) {
        if (maskArray != null) {
            applyMask(a);
        }
    }

    @Override
    protected INDArray dataGradients(INDArray x, INDArray delta, INDArray gW, INDArray gLogSigma2, INDArray gB,
                                     boolean inputGradient, LayerWorkspaceMgr mgr) {
        INDArray w = getParam(WEIGHT_KEY);
        OpExecutioner ex = Nd4j.getExecutioner();

        delta.sum(gB.reshape(gB.length()), 0);                           // dL/db = Σ_examples δ
        Nd4j.gemm(x, delta, gW, true, false, 1.0, 0.0);                  // dL/dW = xᵀδ

        INDArray p = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, delta.shape(), order);
        ex.exec(new MulOp(delta, cacheNoiseOverStd, p));                  // P = δ∘ε/σ
        Nd4j.gemm(cacheInputSq, p, gLogSigma2, true, false, 0.5, 0.0);   // ½(x∘x)ᵀP
        ex.exec(new MulOp(gLogSigma2, cacheExpLogSigma2, gLogSigma2));    //   ∘ exp(logσ²)

        if (!inputGradient) {
            return null;
        }
        INDArray gradX = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), order);
        Nd4j.gemm(delta, w, gradX, false, true, 1.0, 0.0);                // δWᵀ
        INDArray t = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), order);
        Nd4j.gemm(p, cacheExpLogSigma2, t, false, true, 1.0, 0.0);       // P·exp(logσ²)ᵀ
        ex.exec(new MulOp(t, x, t));
        ex.exec(new AddOp(gradX, t, gradX));                              //   + x∘(P·exp(logσ²)ᵀ)
        return gradX;
    }
}
