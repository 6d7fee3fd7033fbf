package org.sparsevd.core.optim;

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

    /** Whether {@link #applyUpdater} takes the fused kernel for this gradient. */
    boolean fused(INDArray gradient) {
        return DirectFloats.enabled() && getM() != null && DirectFloats.supports(gradient, getM(), getV());
    }
}
