package org.sparsevd.core.layers.impl;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the runtime layers of sparsevd ({@link SparseVdLayerImpl}'s dense and convolution layers,
 * {@link NativeConvolutionLayerImpl}) share: a training forward computes the pre-activation z once and caches it with
 * the input x for the backward pass, which takes δ = dL/dz from them ({@link #delta}); the activation works on a
 * copy. Backprop only: no pretraining, no layer norm.
 *
 * @param <C> the layer configuration
 */
public abstract class CachedForwardLayer<C extends org.deeplearning4j.nn.conf.layers.BaseLayer>
        extends org.deeplearning4j.nn.layers.BaseLayer<C> {

    // Training-forward cache, valid from a training forward until the next setInput/clear/backprop.
    protected transient INDArray cacheInput;      // x
    protected transient INDArray cachePreOutput;  // z, the shape of the output

    /** The layout ('c' or 'f') of the layer's input, output and other arrays of their shapes. */
    protected final char order;

    protected CachedForwardLayer(NeuralNetConfiguration conf, DataType dataType, char order) {
        super(conf, dataType);
        this.order = order;
    }

    /** CONVOLUTIONAL for a convolution's configuration, else DL4J's default (FEED_FORWARD). */
    @Override
    public Type type() {
        return layerConf() instanceof ConvolutionLayer ? Type.CONVOLUTIONAL : super.type();
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

    /** Drops the training-forward cache of the layer. */
    protected void clearCaches() {
        cacheInput = null;
        cachePreOutput = null;
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

    /** The pre-activation z (public: the configuration package's tests sample it). */
    @Override
    public INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
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
     * The pre-activation z of the current input: in training in the INPUT workspace, with the cache filled (x and z
     * at least); at inference in the ACTIVATIONS workspace.
     */
    protected abstract INDArray preOutputInternal(boolean training, LayerWorkspaceMgr mgr);

    /**
     * δ = dL/dz from the cached z and dL/d out, contiguous in the layer's order. The activation's backprop may
     * overwrite z: the cached z is consumed here.
     *
     * @throws IllegalStateException if no training forward preceded this backprop
     */
    protected INDArray delta(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (cachePreOutput == null) {
            throw new IllegalStateException("Cannot backprop " + layerId() + ": no training forward pass since the "
                    + "input was set (activate(true) must precede backpropGradient, once per minibatch)");
        }
        epsilon = contiguous(epsilon.castTo(dataType), order, mgr, ArrayType.BP_WORKING_MEM);
        INDArray delta = contiguous(layerConf().getActivationFn().backprop(cachePreOutput, epsilon).getFirst(), order,
                mgr, ArrayType.BP_WORKING_MEM);
        cachePreOutput = null;
        return delta;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasLayerNorm() {
        return false;
    }

    /** The array itself if it has the given order and is not a strided view, else a copy in that order. */
    protected static INDArray contiguous(INDArray a, char order, LayerWorkspaceMgr mgr, ArrayType type) {
        if (a.ordering() == order && a.elementWiseStride() == 1) {
            return a;
        }
        return mgr.dup(type, a, order);
    }
}
