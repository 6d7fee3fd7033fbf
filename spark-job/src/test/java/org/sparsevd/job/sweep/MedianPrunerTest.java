package org.sparsevd.job.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Optuna's MedianPruner rule, per seed. */
class MedianPrunerTest {
    @Test
    void stopsARunBelowTheMedianOfTheEarlierRunsOfItsSeedAtThatEpoch() {
        MedianPruner pruner = new MedianPruner(2);
        assertFalse(pruner.prunes(7, 3, 0.0), "no earlier run: nothing to compare with");
        pruner.add(7, new double[] {0.50, 0.70, 0.80});
        pruner.add(7, new double[] {0.40, 0.60});           // stopped after epoch 2
        pruner.add(7, new double[] {0.60, 0.64, 0.90});
        pruner.add(13, new double[] {0.10, 0.10, 0.10});

        assertFalse(pruner.prunes(7, 1, 0.0), "epoch 1 is before --prune-after 2");
        assertEquals(0.64, pruner.median(7, 2), 1e-12, "median of 0.60, 0.64, 0.70");
        assertTrue(pruner.prunes(7, 2, 0.63));
        assertFalse(pruner.prunes(7, 2, 0.64), "at the median is not below it");
        assertEquals(0.85, pruner.median(7, 3), 1e-12, "two runs reached epoch 3: the mean of the middle two");
        assertTrue(pruner.prunes(7, 3, 0.84));
        assertFalse(pruner.prunes(13, 2, 0.11), "other seeds' runs are not compared with");
        assertTrue(Double.isNaN(pruner.median(42, 2)));
        assertFalse(pruner.prunes(7, 4, 0.0), "no earlier run reached epoch 4");
    }
}
