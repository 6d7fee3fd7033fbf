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

/**
 * Early stopping among the earlier runs of a seed, also while they train at the same time: Optuna's MedianPruner
 * rule, and the floor of the selection rule's tolerance below the best.
 */
class RunPrunerTest {
    @Test
    void stopsARunBelowTheMedianOfTheEarlierRunsOfItsSeedAtThatEpoch() {
        // runs 0-3 of seed 7, run 4 of seed 13, run 5 of seed 7, run 6 of seed 42
        RunPruner pruner = new RunPruner(RunPruner.Rule.MEDIAN, 0, 2, List.of(7L, 7L, 7L, 7L, 13L, 7L, 42L));
        assertFalse(pruner.prunes(0, 3, 0.0), "no earlier run: nothing to compare with");
        finished(pruner, 0, 0.50, 0.70, 0.80);
        finished(pruner, 1, 0.40, 0.60);           // stopped after epoch 2
        finished(pruner, 2, 0.60, 0.64, 0.90);
        finished(pruner, 4, 0.10, 0.10, 0.10);

        assertFalse(pruner.prunes(3, 1, 0.0), "epoch 1 is before --prune-after 2");
        assertEquals(0.64, pruner.bar(3, 2), 1e-12, "median of 0.60, 0.64, 0.70");
        assertTrue(pruner.prunes(3, 2, 0.63));
        assertEquals("the median 0.6400 of the earlier runs of seed 7 at that epoch", pruner.describeBar(3, 2));
        assertFalse(pruner.prunes(3, 2, 0.64), "at the median is not below it");
        assertEquals(0.85, pruner.bar(3, 3), 1e-12, "two runs reached epoch 3: the mean of the middle two");
        assertTrue(pruner.prunes(3, 3, 0.84));
        assertFalse(pruner.prunes(4, 2, 0.0), "other seeds' runs are not compared with");
        assertTrue(Double.isNaN(pruner.bar(6, 2)));
        finished(pruner, 3, 0.1, 0.1, 0.1, 0.1);
        assertEquals(0.1, pruner.bar(5, 4), 1e-12, "only run 3 reached epoch 4");
        assertEquals(0.62, pruner.bar(5, 2), 1e-12,
                "median of 0.1, 0.60, 0.64, 0.70 (runs 0-3): the mean of the middle two");
    }

    /**
     * The floor: the best earlier run of the seed at that epoch less the margin (0.01: one percentage point), so a
     * run within a point of the best goes on however many runs are better than it.
     */
    @Test
    void theFloorStopsOnlyARunFurtherBelowTheBestThanTheTolerance() {
        RunPruner pruner = new RunPruner(RunPruner.Rule.FLOOR, 0.01, 2, List.of(7L, 7L, 7L, 7L, 13L));
        finished(pruner, 0, 0.50, 0.86, 0.88);
        finished(pruner, 1, 0.40, 0.855, 0.87);
        finished(pruner, 2, 0.60, 0.70);          // stopped after epoch 2
        finished(pruner, 4, 0.99, 0.99, 0.99);
        assertEquals(0.85, pruner.bar(3, 2), 1e-12, "best 0.86 (run 0) less 0.01");
        assertFalse(pruner.prunes(3, 2, 0.852), "below the median 0.855 of 0.70, 0.855, 0.86: not what counts");
        assertTrue(pruner.prunes(3, 2, 0.849));
        assertEquals(0.87, pruner.bar(3, 3), 1e-12, "runs 0 and 1 reached epoch 3: best 0.88");
        assertFalse(pruner.prunes(3, 1, 0.0), "epoch 1 is before --prune-after 2");
        assertFalse(pruner.prunes(4, 2, 0.0), "other seeds' runs are not compared with");
        assertEquals("0.8500 (the best 0.8600 of the earlier runs of seed 7 at that epoch, less --prune-margin 1)",
                pruner.describeBar(3, 2));
        assertThrows(IllegalArgumentException.class, () -> new RunPruner(RunPruner.Rule.FLOOR, 1.5, 1, List.of(7L)));
    }

    @Test
    void aRunWaitsForTheEarlierRunsOfItsSeedStillTraining() throws Exception {
        RunPruner pruner = new RunPruner(RunPruner.Rule.MEDIAN, 0, 1, List.of(7L, 7L, 7L));
        pruner.trained(0, new double[] {0.5});
        pruner.trained(1, new double[0]);
        CompletableFuture<Double> median = CompletableFuture.supplyAsync(() -> pruner.bar(2, 2));
        pruner.epoch(0, 2, 0.7);
        assertTrue(waits(median), "run 1 has not reached epoch 2 nor stopped");
        pruner.epoch(1, 1, 0.3);
        pruner.stopped(1); // pruned after epoch 1: never reaches epoch 2
        assertEquals(0.7, median.get(10, TimeUnit.SECONDS), 1e-12, "run 0's epoch 2 alone");

        CompletableFuture<Double> abandoned = CompletableFuture.supplyAsync(() -> pruner.bar(2, 3));
        assertTrue(waits(abandoned), "run 0 may still reach epoch 3");
        pruner.abandon("run 1 failed");
        Exception e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> abandoned.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof CancellationException, e.toString());
        assertThrows(IllegalStateException.class, () -> pruner.epoch(0, 5, 0.1), "epochs are reported in order");
    }

    private static void finished(RunPruner pruner, int run, double... valAccuracies) {
        pruner.trained(run, valAccuracies);
        pruner.stopped(run);
    }

    /** Whether {@code f} is still waiting after 200 ms (it would have answered in microseconds). */
    private static boolean waits(CompletableFuture<Double> f) throws InterruptedException {
        Thread.sleep(200);
        return !f.isDone();
    }
}
