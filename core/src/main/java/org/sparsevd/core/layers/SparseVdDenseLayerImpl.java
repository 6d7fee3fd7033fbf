package org.sparsevd.core.layers;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

import static org.sparsevd.core.layers.SparseVdParamInitializer.BIAS_KEY;
import static org.sparsevd.core.layers.SparseVdParamInitializer.LOG_SIGMA2_KEY;
import static org.sparsevd.core.layers.SparseVdParamInitializer.WEIGHT_KEY;

/**
 * Runtime SparseVD dense layer (see {@link SparseVdDenseLayer}).
 *
 * <p><b>Training forward</b> (local reparameterization trick): μ = xW + b, σ² = (x∘x)·exp(logσ²),
 * z = μ + sqrt(σ² + 1e-8)∘ε with ε ~ N(0, 1) drawn from {@code Nd4j.getRandom()}, one per output unit per example;
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
public class SparseVdDenseLayerImpl extends BaseLayer<SparseVdDenseLayer> {

    /** Added to the variance before the square root, as in the paper's code. */
    public static final double VARIANCE_EPS = 1e-8;

    // Training-forward cache, valid from a training forward until the next setInput/clear/backprop.
    private transient INDArray cacheInput;         // x, 'f' order     [mb, nIn]
    private transient INDArray cacheInputSq;       // x∘x              [mb, nIn]
    private transient INDArray cacheExpLogSigma2;  // exp(logσ²)       [nIn, nOut]
    private transient INDArray cacheNoiseOverStd;  // ε/σ              [mb, nOut]
    private transient INDArray cachePreOutput;     // z                [mb, nOut]

    // Σ KL computed by the last backprop, for the calcRegularizationScore call that follows it.
    private transient double cachedKlSum;
    private transient boolean cachedKlSumValid;
    private transient double lastRegularizationScore;

    public SparseVdDenseLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        clearCaches();
    }

    @Override
    public void clear() {
        super.clear();
        clearCaches();
    }

    private void clearCaches() {
        cacheInput = null;
        cacheInputSq = null;
        cacheExpLogSigma2 = null;
        cacheNoiseOverStd = null;
        cachePreOutput = null;
        cachedKlSumValid = false;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return true;
    }

    @Override
    public boolean hasLayerNorm() {
        return false;
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("Not supported: SparseVdDenseLayer is trained by backprop only");
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = preOutputInternal(training, workspaceMgr);
        INDArray out = training ? workspaceMgr.dup(ArrayType.ACTIVATIONS, z) : z; // keep z for backprop
        out = layerConf().getActivationFn().getActivation(out, training);
        if (maskArray != null) {
            applyMask(out);
        }
        return out;
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = preOutputInternal(training, workspaceMgr);
        return training ? workspaceMgr.dup(ArrayType.ACTIVATIONS, z) : z;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                            LayerWorkspaceMgr workspaceMgr) {
        INDArray z = preOutput(training, workspaceMgr);
        return new Pair<>(z, z);
    }

    /**
     * The pre-activation. Training: a new noise sample, and the backprop cache is filled (z itself is cached and
     * lives in the INPUT workspace). Inference: x·(W∘mask) + b in the ACTIVATIONS workspace.
     */
    private INDArray preOutputInternal(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        SparseVdDenseLayer c = layerConf();
        INDArray w = getParam(WEIGHT_KEY);
        INDArray logSigma2 = getParam(LOG_SIGMA2_KEY);
        INDArray b = getParam(BIAS_KEY);
        INDArray x = input.castTo(dataType);
        if (x.rank() != 2 || x.columns() != w.rows()) {
            throw new DL4JInvalidInputException("Input of shape " + Arrays.toString(x.shape()) + " is invalid: expected "
                    + "rank 2 with " + w.rows() + " columns (nIn) " + layerId());
        }
        // All [minibatch, n] arrays of this layer are 'f' order: with 'f' operands ND4J's gemm and element-wise ops
        // are markedly faster here (DL4J's default 'c' activations take up to 1.5x longer for x·W).
        x = fOrder(x, mgr, ArrayType.INPUT);
        long mb = x.size(0);
        long nOut = w.columns();
        OpExecutioner ex = Nd4j.getExecutioner();

        if (!training) {
            clearCaches();
            // temporaries in the current (working-memory) workspace, or detached without workspaces
            INDArray masked = LogAlpha.maskedWeights(w, logSigma2, c.getLogAlphaMin(), c.getLogAlphaMax(),
                    c.getThreshold());
            INDArray z = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{mb, nOut}, 'f');
            Nd4j.gemm(x, masked, z, false, false, 1.0, 0.0);
            z.addiRowVector(b);
            if (maskArray != null) {
                applyMask(z);
            }
            return z;
        }

        INDArray expLogSigma2 = SparseVdKl.exp(logSigma2, mgr, ArrayType.INPUT);
        INDArray xSq = mgr.createUninitialized(ArrayType.INPUT, dataType, x.shape(), 'f');
        ex.exec(new MulOp(x, x, xSq));

        INDArray var = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[]{mb, nOut}, 'f');
        Nd4j.gemm(xSq, expLogSigma2, var, false, false, 1.0, 0.0);     // σ² = (x∘x)·exp(logσ²)
        ex.exec(new ScalarAdd(var, VARIANCE_EPS));                    // σ² + 1e-8
        INDArray std = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[]{mb, nOut}, 'f');
        ex.exec(new Sqrt(var, std));

        INDArray noise = mgr.createUninitialized(ArrayType.INPUT, dataType, new long[]{mb, nOut}, 'f');
        ex.exec(new GaussianDistribution(noise, 0.0, 1.0), Nd4j.getRandom());   // ε

        INDArray z = mgr.createUninitialized(ArrayType.INPUT, dataType, new long[]{mb, nOut}, 'f');
        Nd4j.gemm(x, w, z, false, false, 1.0, 0.0);                     // μ = xW
        z.addiRowVector(b);                                               //     + b
        ex.exec(new MulOp(noise, std, std));                              // σ∘ε
        ex.exec(new AddOp(z, std, z));                                    // z = μ + σ∘ε
        ex.exec(new DivOp(std, var, noise));                              // ε/σ = σ∘ε/σ²
        if (maskArray != null) {
            applyMask(z);
        }

        cacheInput = x;
        cacheInputSq = xSq;
        cacheExpLogSigma2 = expLogSigma2;
        cacheNoiseOverStd = noise;
        cachePreOutput = z;
        cachedKlSumValid = false;
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (cachePreOutput == null) {
            throw new IllegalStateException("Cannot backprop " + layerId() + ": no training forward pass since the "
                    + "input was set (activate(true) must precede backpropGradient, once per minibatch)");
        }
        SparseVdDenseLayer c = layerConf();
        INDArray x = cacheInput;
        INDArray w = getParam(WEIGHT_KEY);
        INDArray logSigma2 = getParam(LOG_SIGMA2_KEY);
        long mb = x.size(0);
        OpExecutioner ex = Nd4j.getExecutioner();

        // δ = dL/dz. The activation's backprop may overwrite z: the cache is consumed here.
        epsilon = fOrder(epsilon.castTo(dataType), mgr, ArrayType.BP_WORKING_MEM);
        INDArray delta = fOrder(c.getActivationFn().backprop(cachePreOutput, epsilon).getFirst(), mgr,
                ArrayType.BP_WORKING_MEM);
        cachePreOutput = null;
        if (maskArray != null) {
            applyMask(delta);
        }

        INDArray gW = gradientViews.get(WEIGHT_KEY);
        INDArray gLogSigma2 = gradientViews.get(LOG_SIGMA2_KEY);
        INDArray gB = gradientViews.get(BIAS_KEY);

        delta.sum(gB.reshape(gB.length()), 0);                           // dL/db = Σ_examples δ
        Nd4j.gemm(x, delta, gW, true, false, 1.0, 0.0);                  // dL/dW = xᵀδ

        INDArray p = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, delta.shape(), 'f');
        ex.exec(new MulOp(delta, cacheNoiseOverStd, p));                  // P = δ∘ε/σ
        Nd4j.gemm(cacheInputSq, p, gLogSigma2, true, false, 0.5, 0.0);   // ½(x∘x)ᵀP
        ex.exec(new MulOp(gLogSigma2, cacheExpLogSigma2, gLogSigma2));    //   ∘ exp(logσ²)

        double klWeight = c.getKlWeight();
        if (klWeight != 0.0) {
            double coef = klWeight / c.getTrainSetSize() * (conf.isMiniBatch() ? mb : 1);
            cachedKlSum = SparseVdKl.addGradient(w, logSigma2, cacheExpLogSigma2, gW, gLogSigma2, coef,
                    c.getLogAlphaMin(), c.getLogAlphaMax(), mgr);
            cachedKlSumValid = true;
        } else {
            cachedKlSumValid = false; // not computed: calcRegularizationScore computes it if the weight is non-zero by then
        }

        Gradient ret = new DefaultGradient();
        ret.gradientForVariable().put(WEIGHT_KEY, gW);
        ret.gradientForVariable().put(LOG_SIGMA2_KEY, gLogSigma2);
        ret.gradientForVariable().put(BIAS_KEY, gB);

        INDArray epsNext = null;
        if (!c.isSkipInputGradient()) {
            epsNext = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'f');
            Nd4j.gemm(delta, w, epsNext, false, true, 1.0, 0.0);              // δWᵀ
            INDArray t = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'f');
            Nd4j.gemm(p, cacheExpLogSigma2, t, false, true, 1.0, 0.0);       // P·exp(logσ²)ᵀ
            ex.exec(new MulOp(t, x, t));
            ex.exec(new AddOp(epsNext, t, epsNext));                          //   + x∘(P·exp(logσ²)ᵀ)
            epsNext = backpropDropOutIfPresent(epsNext);
        }
        cacheInput = null;
        cacheInputSq = null;
        cacheExpLogSigma2 = null;
        cacheNoiseOverStd = null;
        return new Pair<>(ret, epsNext);
    }

    /** The array itself if it is 'f' order (and not a strided view), else an 'f' copy in the given workspace. */
    private static INDArray fOrder(INDArray a, LayerWorkspaceMgr mgr, ArrayType type) {
        if (a.ordering() == 'f' && a.elementWiseStride() == 1) {
            return a;
        }
        return mgr.dup(type, a, 'f');
    }

    /**
     * DL4J's regularization score (L1/L2 of W and b) plus the KL term klWeight/N·Σ KL(logα).
     */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        double score = super.calcRegularizationScore(backpropParamsOnly);
        SparseVdDenseLayer c = layerConf();
        double klWeight = c.getKlWeight();
        double klSum;
        if (cachedKlSumValid) {
            klSum = cachedKlSum;
            cachedKlSumValid = false;
        } else {
            klSum = klWeight == 0.0 ? 0.0 : SparseVdKl.klSum(getParam(WEIGHT_KEY), getParam(LOG_SIGMA2_KEY),
                    c.getLogAlphaMin(), c.getLogAlphaMax());
        }
        lastRegularizationScore = score + klWeight / c.getTrainSetSize() * klSum;
        return lastRegularizationScore;
    }

    /**
     * What the last {@link #calcRegularizationScore} call returned: the term this layer added to the network's
     * last score. The score minus these terms is the data loss of that minibatch, with no KL recomputation.
     */
    public double lastRegularizationScore() {
        return lastRegularizationScore;
    }
}
