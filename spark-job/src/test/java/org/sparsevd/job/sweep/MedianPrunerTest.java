package org.sparsevd.job.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Optuna's MedianPruner rule, among the earlier runs of a seed, also while they train at the same time. */
class MedianPrunerTest {
    @Test
    void stopsARunBelowTheMedianOfTheEarlierRunsOfItsSeedAtThatEpoch() {
        // runs 0-3 of seed 7, run 4 of seed 13, run 5 of seed 7, run 6 of seed 42
        MedianPruner pruner = new MedianPruner(2, List.of(7L, 7L, 7L, 7L, 13L, 7L, 42L));
        assertFalse(pruner.prunes(0, 3, 0.0), "no earlier run: nothing to compare with");
        finished(pruner, 0, 0.50, 0.70, 0.80);
        finished(pruner, 1, 0.40, 0.60);           // stopped after epoch 2
        finished(pruner, 2, 0.60, 0.64, 0.90);
        finished(pruner, 4, 0.10, 0.10, 0.10);

        assertFalse(pruner.prunes(3, 1, 0.0), "epoch 1 is before --prune-after 2");
        assertEquals(0.64, pruner.median(3, 2), 1e-12, "median of 0.60, 0.64, 0.70");
        assertTrue(pruner.prunes(3, 2, 0.63));
        assertFalse(pruner.prunes(3, 2, 0.64), "at the median is not below it");
        assertEquals(0.85, pruner.median(3, 3), 1e-12, "two runs reached epoch 3: the mean of the middle two");
        assertTrue(pruner.prunes(3, 3, 0.84));
        assertFalse(pruner.prunes(4, 2, 0.0), "other seeds' runs are not compared with");
        assertTrue(Double.isNaN(pruner.median(6, 2)));
        finished(pruner, 3, 0.1, 0.1, 0.1, 0.1);
        assertEquals(0.1, pruner.median(5, 4), 1e-12, "only run 3 reached epoch 4");
        assertEquals(0.62, pruner.median(5, 2), 1e-12,
                "median of 0.1, 0.60, 0.64, 0.70 (runs 0-3): the mean of the middle two");
    }

    @Test
    void aRunWaitsForTheEarlierRunsOfItsSeedStillTraining() throws Exception {
        MedianPruner pruner = new MedianPruner(1, List.of(7L, 7L, 7L));
        pruner.trained(0, new double[] {0.5});
        pruner.trained(1, new double[0]);
        CompletableFuture<Double> median = CompletableFuture.supplyAsync(() -> pruner.median(2, 2));
        pruner.epoch(0, 2, 0.7);
        assertTrue(waits(median), "run 1 has not reached epoch 2 nor stopped");
        pruner.epoch(1, 1, 0.3);
        pruner.stopped(1); // pruned after epoch 1: never reaches epoch 2
        assertEquals(0.7, median.get(10, TimeUnit.SECONDS), 1e-12, "run 0's epoch 2 alone");

        CompletableFuture<Double> abandoned = CompletableFuture.supplyAsync(() -> pruner.median(2, 3));
        assertTrue(waits(abandoned), "run 0 may still reach epoch 3");
        pruner.abandon("run 1 failed");
        Exception e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> abandoned.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof CancellationException, e.toString());
        assertThrows(IllegalStateException.class, () -> pruner.epoch(0, 5, 0.1), "epochs are reported in order");
    }

    private static void finished(MedianPruner pruner, int run, double... valAccuracies) {
        pruner.trained(run, valAccuracies);
        pruner.stopped(run);
    }

    /** Whether {@code f} is still waiting after 200 ms (it would have answered in microseconds). */
    private static boolean waits(CompletableFuture<Double> f) throws InterruptedException {
        Thread.sleep(200);
        return !f.isDone();
    }
}
