package org.sparsevd.core.layers.impl;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.kl.LogAlpha;
import org.sparsevd.core.kl.SparseVdKl;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.simd.DirectFloats;
import org.sparsevd.core.simd.NormalNoise;

import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.BIAS_KEY;
import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.LOG_SIGMA2_KEY;
import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.WEIGHT_KEY;

/**
 * What the runtime SparseVD layers (dense and convolutional) share: the KL term of the SGVLB (eq. 3 of Molchanov
 * et al., 2017, with the KL approximation of eq. 14) in DL4J's score and gradients, and the per-minibatch caches.
 *
 * <p>The score term klWeight/N·Σ KL(logα) enters DL4J's score through {@link #calcRegularizationScore(boolean)};
 * {@link #addKlGradient} adds c·dKL/dW and c·dKL/dlogσ² with c = klWeight/N·minibatch (DL4J's updater divides the
 * whole gradient by the minibatch size) and keeps the sum for the {@code calcRegularizationScore} call
 * {@code computeGradientAndScore} makes next with the same parameters; any other call computes it afresh.
 *
 * @param <C> the layer configuration
 */
public abstract class SparseVdLayerImpl<C extends org.deeplearning4j.nn.conf.layers.BaseLayer & SparseVdLayer>
        extends CachedForwardLayer<C> {

    /** Added to the variance before the square root, as in the paper's code. */
    public static final double VARIANCE_EPS = 1e-8;

    // Training-forward cache besides x and z, valid from a training forward until the next setInput/clear/backprop.
    protected transient INDArray cacheInputSq;       // x∘x
    protected transient INDArray cacheExpLogSigma2;  // exp(logσ²), the shape of W
    protected transient INDArray cacheNoiseOverStd;  // ε/σ, the shape of the output

    // Σ KL computed by the last backprop (or handed over by the step's caller), for the calcRegularizationScore call
    // that follows it.
    private transient double cachedKlSum;
    private transient boolean cachedKlSumValid;
    private transient double lastRegularizationScore;
    // Whether the caller of the training step adds the KL term (klTermByCaller).
    private transient boolean klTermByCaller;

    protected SparseVdLayerImpl(NeuralNetConfiguration conf, DataType dataType, char order) {
        super(conf, dataType, order);
    }

    /**
     * The pre-activation z, with the layer's linear map lin ({@link #linearMap}: x·W for the dense layer, conv(x, W)
     * for the convolution). Training, the local reparameterization trick: μ = lin(x, W) + b, σ² = lin(x∘x,
     * exp(logσ²)), z = μ + sqrt(σ² + 1e-8)∘ε with a new noise sample ε ({@link #addNoise}), and the backprop cache
     * filled (z itself is cached and lives in the INPUT workspace). Inference: lin(x, W∘mask) + b, mask = [clip(logα)
     * &lt; threshold], in the ACTIVATIONS workspace.
     */
    @Override
    protected INDArray preOutputInternal(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        C c = layerConf();
        INDArray w = getParam(WEIGHT_KEY);
        INDArray logSigma2 = getParam(LOG_SIGMA2_KEY);
        INDArray b = getParam(BIAS_KEY);
        INDArray x = input.castTo(dataType);
        LinearMap lin = linearMap(x, w);
        x = contiguous(x, order, mgr, ArrayType.INPUT);

        if (!training) {
            clearCaches();
            // temporaries in the current (working-memory) workspace, or detached without workspaces
            INDArray masked = LogAlpha.maskedWeights(w, logSigma2, c.getLogAlphaMin(), c.getLogAlphaMax(),
                    c.getThreshold());
            INDArray z = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, lin.outShape(), order);
            lin.apply(x, masked, b, z);
            maskOutputShaped(z);
            return z;
        }

        INDArray expLogSigma2 = SparseVdKl.exp(logSigma2, mgr, ArrayType.INPUT);
        INDArray xSq = mgr.createUninitialized(ArrayType.INPUT, dataType, x.shape(), order);
        Nd4j.getExecutioner().exec(new MulOp(x, x, xSq));

        INDArray var = mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, lin.outShape(), order);
        lin.apply(xSq, expLogSigma2, null, var);                         // σ² = lin(x∘x, exp(logσ²))
        INDArray z = mgr.createUninitialized(ArrayType.INPUT, dataType, lin.outShape(), order);
        lin.apply(x, w, b, z);                                            // μ = lin(x, W) + b
        INDArray noise = addNoise(z, var, mgr);                           // z = μ + σ∘ε
        maskOutputShaped(z);

        cache(x, xSq, expLogSigma2, noise, z);
        return z;
    }

    /** A layer's linear map for inputs of one shape: lin(x, weights) (+ bias), and the shape of its output. */
    protected interface LinearMap {
        long[] outShape();

        /** out = lin(x, weights) + bias, or without a bias if {@code biasOrNull} is null. */
        void apply(INDArray x, INDArray weights, INDArray biasOrNull, INDArray out);
    }

    /**
     * The layer's linear map for the input {@code x}, whose shape is checked against the weights {@code w}.
     *
     * @throws org.deeplearning4j.exception.DL4JInvalidInputException if the layer cannot take x
     */
    protected abstract LinearMap linearMap(INDArray x, INDArray w);

    /**
     * Applies DL4J's mask array, if the layer takes one, in place to an array of the output's shape (the
     * pre-activation and its gradient δ); by default the layer takes none.
     */
    protected void maskOutputShaped(INDArray a) {
    }

    @Override
    protected void clearCaches() {
        super.clearCaches();
        releaseBackpropCache();
        cachedKlSumValid = false;
    }

    /**
     * The noise step of the local reparameterization trick, in place: z ← z + sqrt(σ² + 1e-8)∘ε with ε ~ N(0, 1),
     * one per output element, drawn with a seed from {@code Nd4j.getRandom()} ({@link #drawNoise}); {@code var} (σ²)
     * is consumed. Returns ε/σ (for backprop, in the INPUT workspace), of z's shape and the layer's order. With the
     * fused kernels it is one pass that also draws ε ({@link NoiseStepKernel}, the same bits as {@link #drawNoise}
     * and {@link #addNoiseByOps}).
     */
    private INDArray addNoise(INDArray z, INDArray var, LayerWorkspaceMgr mgr) {
        INDArray noise = mgr.createUninitialized(ArrayType.INPUT, dataType, z.shape(), order);
        if (DirectFloats.enabled() && DirectFloats.supports(z, var, noise)) {
            NoiseStepKernel.apply(z, var, noise, (float) VARIANCE_EPS, Nd4j.getRandom().nextLong());
        } else {
            drawNoise(noise);
            addNoiseByOps(z, var, noise, mgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, z.shape(), order));
        }
        return noise;
    }

    /**
     * Fills {@code noise} with ε ~ N(0, 1): in host memory (ND4J's CPU backend) {@link NormalNoise}'s draw with a seed
     * from {@code Nd4j.getRandom()}, else (another backend, or double precision) ND4J's own Gaussian generator.
     */
    public static void drawNoise(INDArray noise) {
        if (DirectFloats.hostMemory() && DirectFloats.supports(noise)) {
            NormalNoise.fill(noise, Nd4j.getRandom().nextLong());
        } else {
            Nd4j.getExecutioner().exec(new GaussianDistribution(noise, 0.0, 1.0), Nd4j.getRandom());
        }
    }

    /**
     * The noise step after drawing ε, in ND4J ops: z ← z + σ∘ε and {@code noise} ← ε/σ with σ = sqrt(σ² + 1e-8);
     * {@code var} ends as σ² + 1e-8, {@code std} (a temporary of z's shape) as σ∘ε.
     */
    public static void addNoiseByOps(INDArray z, INDArray var, INDArray noise, INDArray std) {
        OpExecutioner ex = Nd4j.getExecutioner();
        ex.exec(new ScalarAdd(var, VARIANCE_EPS));                        // σ² + 1e-8
        ex.exec(new Sqrt(var, std));
        ex.exec(new MulOp(noise, std, std));                              // σ∘ε
        ex.exec(new AddOp(z, std, z));                                    // z = μ + σ∘ε
        ex.exec(new DivOp(std, var, noise));                              // ε/σ = σ∘ε/σ²
    }

    /** Fills the training-forward cache (all arrays as the training forward computed them). */
    private void cache(INDArray x, INDArray xSq, INDArray expLogSigma2, INDArray noiseOverStd, INDArray z) {
        cacheInput = x;
        cacheInputSq = xSq;
        cacheExpLogSigma2 = expLogSigma2;
        cacheNoiseOverStd = noiseOverStd;
        cachePreOutput = z;
    }

    /** Drops what backprop used, at its end. */
    protected void releaseBackpropCache() {
        cacheInput = null;
        cacheInputSq = null;
        cacheExpLogSigma2 = null;
        cacheNoiseOverStd = null;
    }

    /**
     * The backward pass of a training minibatch: δ = dL/dz, the data term's gradients of W, logσ² and b from
     * {@link #dataGradients}, the KL term's added ({@link #addKlGradient}), and dL/dx through the layer's dropout
     * (null when the configuration says skipInputGradient). The training-forward cache is released.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        INDArray delta = delta(epsilon, mgr);
        maskOutputShaped(delta);
        INDArray gW = gradientViews.get(WEIGHT_KEY);
        INDArray gLogSigma2 = gradientViews.get(LOG_SIGMA2_KEY);
        INDArray gB = gradientViews.get(BIAS_KEY);
        INDArray inputGradient = dataGradients(cacheInput, delta, gW, gLogSigma2, gB,
                !layerConf().isSkipInputGradient(), mgr);
        if (!klTermByCaller) {
            addKlGradient(cacheExpLogSigma2, gW, gLogSigma2, cacheInput.size(0), mgr);
        }
        Pair<Gradient, INDArray> result = new Pair<>(gradient(gW, gLogSigma2, gB),
                inputGradient == null ? null : backpropDropOutIfPresent(inputGradient));
        releaseBackpropCache();
        return result;
    }

    /**
     * The data term's gradients, from the input x, δ and the training-forward cache: dL/dW, dL/dlogσ² and dL/db
     * written into {@code gW}, {@code gLogSigma2} and {@code gB} (the gradient views), and dL/dx returned if
     * {@code inputGradient}, else null. Writes nothing else that the KL gradient reads.
     */
    protected abstract INDArray dataGradients(INDArray x, INDArray delta, INDArray gW, INDArray gLogSigma2,
                                              INDArray gB, boolean inputGradient, LayerWorkspaceMgr mgr);

    /** The gradient of W, logσ² and b in DL4J's form (the arrays are the gradient views). */
    private Gradient gradient(INDArray gW, INDArray gLogSigma2, INDArray gB) {
        Gradient ret = new DefaultGradient();
        ret.gradientForVariable().put(WEIGHT_KEY, gW);
        ret.gradientForVariable().put(LOG_SIGMA2_KEY, gLogSigma2);
        ret.gradientForVariable().put(BIAS_KEY, gB);
        return ret;
    }

    @Override
    public boolean hasBias() {
        return true;
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("Not supported: SparseVD layers are trained by backprop only");
    }

    /**
     * Adds the KL term's gradient, weighted klWeight/N·minibatch, to the gradients of W and logσ² (in place), unless
     * the KL weight is 0.
     *
     * @param expLogSigma2 exp(logσ²) as the training forward computed it
     * @param minibatch    the number of examples of the minibatch
     */
    private void addKlGradient(INDArray expLogSigma2, INDArray gradW, INDArray gradLogSigma2, long minibatch,
                                 LayerWorkspaceMgr mgr) {
        C c = layerConf();
        double klWeight = c.getKlWeight();
        if (klWeight != 0.0) {
            // the updater divides the whole gradient by the minibatch size
            double coef = SparseVdKl.perExample(klWeight, conf.isMiniBatch() ? minibatch : 1, c.getTrainSetSize());
            cachedKlSum = SparseVdKl.addGradient(getParam(WEIGHT_KEY), getParam(LOG_SIGMA2_KEY), expLogSigma2, gradW,
                    gradLogSigma2, coef, c.getLogAlphaMin(), c.getLogAlphaMax(), mgr);
            cachedKlSumValid = true;
        } else {
            cachedKlSumValid = false; // not computed: calcRegularizationScore computes it if the weight is non-zero by then
        }
    }

    /**
     * Makes the caller of every training step add the KL term instead of the layer ({@code true}), as workers that
     * share a step's per-parameter work do ({@link org.sparsevd.core.optim.StepShards}): backprop then leaves the
     * data term's gradients alone, and {@link #calcRegularizationScore} counts no KL term until the caller hands over
     * the step's Σ KL ({@link #klSumOfStep}).
     */
    public void setKlTermByCaller(boolean byCaller) {
        this.klTermByCaller = byCaller;
    }

    /**
     * Σ KL(clip(logα)) over this layer's weights at the parameters of the step just computed, from the caller that
     * adds the KL term ({@link #setKlTermByCaller}): the next {@link #calcRegularizationScore} call counts it, as it
     * counts what backprop computed otherwise.
     */
    public void klSumOfStep(double klSum) {
        cachedKlSum = klSum;
        cachedKlSumValid = true;
    }

    /**
     * DL4J's regularization score (L1/L2 of W and b) plus the KL term klWeight/N·Σ KL(logα) (without it while the
     * caller adds the KL term and has not handed over Σ KL yet).
     */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        double score = super.calcRegularizationScore(backpropParamsOnly);
        C c = layerConf();
        double klWeight = c.getKlWeight();
        double klSum;
        if (cachedKlSumValid) {
            klSum = cachedKlSum;
            cachedKlSumValid = false;
        } else if (klTermByCaller) {
            klSum = 0.0;
        } else {
            klSum = klWeight == 0.0 ? 0.0 : SparseVdKl.klSum(getParam(WEIGHT_KEY), getParam(LOG_SIGMA2_KEY),
                    c.getLogAlphaMin(), c.getLogAlphaMax());
        }
        lastRegularizationScore = score + SparseVdKl.perExample(klWeight, klSum, c.getTrainSetSize());
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
