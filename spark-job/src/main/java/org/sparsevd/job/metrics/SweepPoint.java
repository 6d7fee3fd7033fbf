package org.sparsevd.job.metrics;

import java.util.List;

/**
 * One (KL weight, threshold) point of a sweep for one seed: the model trained with {@code klWeight} and the seed of
 * its provenance, masked with {@code threshold} (log alpha &ge; threshold &rArr; weight 0), on the validation and
 * test sets. One row of {@code sweep.jsonl} and {@code sweep.csv}.
 *
 * @param klWeight     target KL weight of the training run
 * @param threshold    mask threshold the model was evaluated under
 * @param valAccuracy  accuracy of the masked, deterministic network on the run's held-out validation set
 * @param testAccuracy accuracy of the masked, deterministic network on the test set
 * @param prunedAtEpoch the epoch after which {@code --prune} stopped the run (the model and accuracies are those of
 *                     that epoch), or {@code null} for a run that trained all its epochs
 * @param compression  all weights / kept weights (biases not counted)
 * @param weights      number of weights
 * @param nonzero      weights kept by the mask
 * @param layers       per layer: weights, kept weights and sparsity under this threshold (KL and mean log alpha
 *                     do not depend on it)
 * @param provenance   where the trained model came from
 */
public record SweepPoint(double klWeight, double threshold, double valAccuracy, double testAccuracy,
                         Integer prunedAtEpoch, double compression, long weights,
                         long nonzero, List<LayerMetrics> layers, PointProvenance provenance) {
    public SweepPoint {
        layers = List.copyOf(layers);
        if (provenance == null) {
            throw new IllegalArgumentException("a sweep point needs its provenance");
        }
    }

    /** Whether this is the point of ({@code klWeight}, {@code threshold}), whatever its seed. */
    public boolean is(double klWeight, double threshold) {
        return Double.compare(this.klWeight, klWeight) == 0 && Double.compare(this.threshold, threshold) == 0;
    }

    /** Whether this row comes from the training run of {@code klWeight} and {@code seed}. */
    public boolean ofRun(double klWeight, long seed) {
        return Double.compare(this.klWeight, klWeight) == 0 && provenance.seed() == seed;
    }
}
