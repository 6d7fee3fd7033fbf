package org.sparsevd.job.metrics;

import java.util.List;

/**
 * One (KL weight, threshold) point of a sweep: the model trained with {@code klWeight}, masked with
 * {@code threshold} (log alpha &ge; threshold &rArr; weight 0), on the test set. One row of {@code sweep.jsonl} and
 * {@code sweep.csv}.
 *
 * @param klWeight     target KL weight of the training run
 * @param threshold    mask threshold the model was evaluated under
 * @param testAccuracy accuracy of the masked, deterministic network on the test set
 * @param compression  all weights / kept weights (biases not counted)
 * @param weights      number of weights
 * @param nonzero      weights kept by the mask
 * @param layers       per layer: weights, kept weights and sparsity under this threshold (KL and mean log alpha
 *                     do not depend on it)
 * @param provenance   where the trained model came from
 */
public record SweepPoint(double klWeight, double threshold, double testAccuracy, double compression, long weights,
                         long nonzero, List<LayerMetrics> layers, PointProvenance provenance) {
    public SweepPoint {
        layers = List.copyOf(layers);
        if (provenance == null) {
            throw new IllegalArgumentException("a sweep point needs its provenance");
        }
    }

    /** Whether this is the point of ({@code klWeight}, {@code threshold}). */
    public boolean is(double klWeight, double threshold) {
        return Double.compare(this.klWeight, klWeight) == 0 && Double.compare(this.threshold, threshold) == 0;
    }
}
