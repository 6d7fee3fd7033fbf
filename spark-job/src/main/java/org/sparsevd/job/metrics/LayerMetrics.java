package org.sparsevd.job.metrics;


/**
 * Sparsity and KL of one weight layer at the end of an epoch: one entry of {@code layers} in {@code metrics.jsonl}.
 *
 * @param name         layer name
 * @param weights      number of weights (biases excluded)
 * @param nonzero      weights kept by the inference mask (log alpha below the threshold)
 * @param sparsity     fraction of weights masked to zero
 * @param kl           KL divergence of the layer's posterior from the log-uniform prior, in nats (0 for plain layers)
 * @param meanLogAlpha mean clipped log alpha, {@code null} for layers without one
 */
public record LayerMetrics(String name, long weights, long nonzero, double sparsity, double kl,
                           Double meanLogAlpha) {
}
