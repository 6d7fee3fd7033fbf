package org.sparsevd.job.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Optuna's MedianPruner rule over a sweep's training runs: a run whose validation accuracy after epoch {@code e}
 * ({@code e >= after}) is below the median of the validation accuracies after epoch {@code e} of the runs that
 * reached it before (the mean of the two middle ones for an even count) is stopped. Runs are compared with the runs
 * of the same seed only: they share the training subset and the validation set. With no earlier run at epoch
 * {@code e} nothing is stopped, so the first run of each seed always trains to the end.
 */
final class MedianPruner {
    private final int after;
    private final Map<Long, List<double[]>> finished = new HashMap<>();

    /** @param after the first epoch (1-based) after which a run may be stopped */
    MedianPruner(int after) {
        if (after < 1) {
            throw new IllegalArgumentException("the first epoch a run may be stopped after must be at least 1, got "
                    + after);
        }
        this.after = after;
    }

    /** Adds a run of {@code seed} that has stopped (finished or pruned): its validation accuracy after each epoch. */
    void add(long seed, double[] valAccuracies) {
        finished.computeIfAbsent(seed, s -> new ArrayList<>()).add(valAccuracies.clone());
    }

    /** Whether a run of {@code seed} with validation accuracy {@code valAccuracy} after {@code epoch} is stopped. */
    boolean prunes(long seed, int epoch, double valAccuracy) {
        if (epoch < after) {
            return false;
        }
        double median = median(seed, epoch);
        return !Double.isNaN(median) && valAccuracy < median;
    }

    /** The median validation accuracy after {@code epoch} of the runs of {@code seed} that reached it; NaN if none. */
    double median(long seed, int epoch) {
        double[] reached = finished.getOrDefault(seed, List.of()).stream().filter(h -> h.length >= epoch)
                .mapToDouble(h -> h[epoch - 1]).sorted().toArray();
        if (reached.length == 0) {
            return Double.NaN;
        }
        int mid = reached.length / 2;
        return reached.length % 2 == 1 ? reached[mid] : (reached[mid - 1] + reached[mid]) / 2;
    }
}
