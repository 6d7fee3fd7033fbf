package org.sparsevd.core.sparsity;

import java.io.Serializable;
import java.util.Objects;

/**
 * Sparsity of one layer's weights (biases are not counted, as in the reference implementation).
 *
 * @param name         the layer's configured name, or "layer&lt;i&gt;"
 * @param weights      number of weights
 * @param nonzero      number of weights kept at inference (SparseVD: clip(logα) &lt; threshold; plain: W ≠ 0)
 * @param sparsity     1 − nonzero/weights (0 for a layer without weights)
 * @param kl           Σ KL(logα) of the layer, unweighted (0 for plain layers)
 * @param meanLogAlpha mean clipped logα (NaN for plain layers)
 */
public record LayerSparsity(String name, long weights, long nonzero, double sparsity, double kl, double meanLogAlpha)
        implements Serializable {

    public LayerSparsity {
        Objects.requireNonNull(name, "name");
        if (weights < 0 || nonzero < 0 || nonzero > weights) {
            throw new IllegalArgumentException("Need 0 <= nonzero <= weights, got nonzero=" + nonzero + ", weights=" + weights);
        }
    }

    /** A record with sparsity derived from the counts. */
    public static LayerSparsity of(String name, long weights, long nonzero, double kl, double meanLogAlpha) {
        double sparsity = weights == 0 ? 0.0 : 1.0 - (double) nonzero / weights;
        return new LayerSparsity(name, weights, nonzero, sparsity, kl, meanLogAlpha);
    }
}
