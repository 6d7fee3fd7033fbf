package org.sparsevd.job.metrics;

import org.sparsevd.core.sparsity.LayerSparsity;

/**
 * Sparsity and KL of one weight layer at the end of an epoch: one entry of {@code layers} in {@code metrics.jsonl}.
 *
 * @param name         layer name
 * @param weights      number of weights (biases excluded)
 * @param nonzero      weights kept by the inference mask (log alpha below the threshold)
 * @param sparsity     fraction of weights masked to zero
 * @param kl           KL divergence of the layer's posterior from the log-uniform prior, in nats (0 for plain layers)
 * @param meanLogAlpha mean clipped log alpha, {@code null} for layers without one
 * @param logAlphaHistogram the distribution of the clipped log alpha, {@code null} for layers without one (and in
 *                     files written before it was recorded)
 */
public record LayerMetrics(String name, long weights, long nonzero, double sparsity, double kl, Double meanLogAlpha,
                           @AbsentInOlderFiles LogAlphaHistogram logAlphaHistogram) {

    /** The record of one layer of a {@code SparsityReport}, with its log alpha histogram or null. */
    public static LayerMetrics of(LayerSparsity l, LogAlphaHistogram logAlphaHistogram) {
        return new LayerMetrics(l.name(), l.weights(), l.nonzero(), l.sparsity(), l.kl(),
                Double.isNaN(l.meanLogAlpha()) ? null : l.meanLogAlpha(), logAlphaHistogram);
    }
}
