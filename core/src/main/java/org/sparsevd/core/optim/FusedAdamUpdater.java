package org.sparsevd.core.optim;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.sparsevd.core.simd.DirectFloats;

/**
 * The updater of {@link FusedAdam}: {@link AdamKernel} for float state and gradients DL4J lays out contiguously (its
 * flattened views), ND4J's Adam op (the superclass) for anything else.
 */
public class FusedAdamUpdater extends AdamUpdater {

    public FusedAdamUpdater(FusedAdam config) {
        super(config);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (!fused(gradient)) {
            super.applyUpdater(gradient, iteration, epoch);
            return;
        }
        FusedAdam c = (FusedAdam) getConfig();
        AdamKernel.apply(gradient, getM(), getV(), c.getLearningRate(iteration, epoch), c.getBeta1(), c.getBeta2(),
                c.getEpsilon(), iteration);
    }

    /**
     * The update of floats [from, to) of a network's flattened gradient and parameters, whose block of parameters
     * (this updater's) starts at flat index {@code blockStart}: what DL4J's updater and {@code params.subi} do to them
     * in a training step of {@code minibatch} examples ({@link AdamKernel#step}), with the same bits. Only for
     * state that {@link DirectFloats#supports} ({@link #fused}), e.g. DL4J's flattened views.
     */
    public void step(ByteBuffer gradient, ByteBuffer params, int blockStart, int from, int to, int minibatch,
                     int iteration, int epoch) {
        FusedAdam c = (FusedAdam) getConfig();
        AdamKernel.step(gradient, params, DirectFloats.buffer(getM()), DirectFloats.buffer(getV()), blockStart, from,
                to, minibatch, c.getLearningRate(iteration, epoch), c.getBeta1(), c.getBeta2(), c.getEpsilon(),
                iteration);
    }

    /** Whether {@link #applyUpdater} takes the fused kernel for this gradient. */
    public boolean fused(INDArray gradient) {
        return DirectFloats.enabled() && getM() != null && DirectFloats.supports(gradient, getM(), getV());
    }
}
