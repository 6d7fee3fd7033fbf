package org.sparsevd.job.config;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.sparsevd.core.arch.Variant;

/**
 * The whole, validated configuration of one {@code sweep}: one training run per KL weight and seed, each trained
 * model evaluated under every threshold, and the rule that picks one (KL weight, threshold) point by its mean
 * validation accuracy over the seeds.
 *
 * <p>A sweep needs a validation split ({@code --validation}): it selects on validation accuracy only, so that the
 * test accuracy it reports for the selected point is an unbiased estimate.
 *
 * @param train           the options every run shares; its output is the sweep's output directory, and its KL
 *                        weight, threshold and seed are those of the runs' own per-epoch metrics only
 * @param klWeights       target KL weights, one training run each per seed (distinct, finite, &ge; 0, and, if more
 *                        than one, training differently: a Sparse VD variant whose schedule gets past its epochs at 0)
 * @param thresholds      log-alpha mask thresholds every trained model is evaluated under (distinct, each in
 *                        (logAlphaMin, logAlphaMax] of the model)
 * @param seeds           the seeds every KL weight is trained with (distinct); each seed draws its own training
 *                        subset, validation split, initialization and noise, as {@code train --seed} does
 * @param maxAccuracyDrop the selection rule: the most compressed point whose mean validation accuracy is at most
 *                        this many percentage points below the sweep's best
 * @param prune           {@link #PRUNE_NONE}; {@link #PRUNE_MEDIAN}: stop a run whose validation accuracy after an
 *                        epoch {@code e >= pruneAfter} is below the median of the runs of its seed that reached
 *                        epoch {@code e} before it; or {@link #PRUNE_FLOOR}: more than {@code pruneMargin}
 *                        percentage points below the best of them
 * @param pruneAfter      the first epoch (1-based) after which a run may be stopped; at most the epochs of a run
 * @param pruneMargin     for {@link #PRUNE_FLOOR}: how many percentage points below the best earlier run of its seed
 *                        a run may be and go on (0-100); part of the spec only with that rule
 * @param parallel        how many training runs may train at once in the sweep's Spark application (at least 1);
 *                        how the sweep runs, not what it computes: not part of its spec, results are the same for any
 *                        value
 */
public record SweepConfig(TrainConfig train, List<Double> klWeights, List<Double> thresholds, List<Long> seeds,
                          double maxAccuracyDrop, String prune, int pruneAfter, double pruneMargin, int parallel) {
    /** Where the runs live inside the sweep's output directory. */
    public static final String RUNS_DIR = "runs";
    /** Every run trains all its epochs. */
    public static final String PRUNE_NONE = "none";
    /** Optuna's MedianPruner rule, among the runs of the same seed. */
    public static final String PRUNE_MEDIAN = "median";
    /** A margin below the best of the runs of the same seed. */
    public static final String PRUNE_FLOOR = "floor";
    /** {@code --prune-margin} unless given: twice the default selection tolerance, for epoch-to-epoch noise. */
    public static final double DEFAULT_PRUNE_MARGIN = 2.0;

    public SweepConfig {
        Objects.requireNonNull(train, "train");
        klWeights = distinct("--kl-weights", klWeights, true);
        thresholds = distinct("--thresholds", thresholds, false);
        ModelOptions model = train.model();
        thresholds.forEach(t -> Checks.threshold("--thresholds", t, model.logAlphaMin(), model.logAlphaMax()));
        checkDistinctRuns(klWeights, model, train.schedule());
        Checks.required("--seeds", seeds);
        if (seeds.isEmpty() || seeds.stream().anyMatch(java.util.Objects::isNull)) {
            throw new JobConfigException("--seeds needs at least one seed, got " + seeds);
        }
        if (new HashSet<>(seeds).size() != seeds.size()) {
            throw new JobConfigException("--seeds: a seed is given twice in " + seeds);
        }
        seeds = List.copyOf(seeds);
        if (!train.data().validates()) {
            throw new JobConfigException("sweep needs --validation N (a count, or a fraction of the training set in "
                    + "(0, 1)): it selects a point by validation accuracy, never by test accuracy");
        }
        Checks.required("--prune", prune);
        if (!List.of(PRUNE_NONE, PRUNE_MEDIAN, PRUNE_FLOOR).contains(prune)) {
            throw new JobConfigException("--prune must be '" + PRUNE_NONE + "', '" + PRUNE_MEDIAN + "' or '"
                    + PRUNE_FLOOR + "', got '" + prune + "'");
        }
        if (pruneAfter < 1 || pruneAfter > train.schedule().epochs()) {
            throw new JobConfigException("--prune-after must be an epoch between 1 and --epochs ("
                    + train.schedule().epochs() + "), got " + pruneAfter);
        }
        if (!Double.isFinite(pruneMargin) || pruneMargin < 0 || pruneMargin > 100) {
            throw new JobConfigException("--prune-margin must be between 0 and 100 percentage points, got "
                    + pruneMargin);
        }
        if (parallel < 1) {
            throw new JobConfigException("--parallel must be at least 1 (training runs at once), got " + parallel);
        }
        if (!Double.isFinite(maxAccuracyDrop) || maxAccuracyDrop < 0 || maxAccuracyDrop > 100) {
            throw new JobConfigException("--max-accuracy-drop must be between 0 and 100 percentage points, got "
                    + maxAccuracyDrop);
        }
    }

    /** Whether runs may be stopped early. */
    public boolean prunes() {
        return !prune.equals(PRUNE_NONE);
    }

    /**
     * A warning when early stopping may stop the runs the selection rule looks for, else null (always null without
     * pruning or with one KL weight: no run of another weight to compare with).
     * <ul>
     *   <li>{@code --prune median} compares validation accuracy alone, so it stops the runs of the larger KL weights,
     *       which trade accuracy for compression on purpose; a stopped point is never selected.</li>
     *   <li>{@code --prune floor} before the first epoch at the target KL weight (which the runs reach): inside the
     *       ramp a run with a larger KL weight is pruning weights and lags on validation accuracy before it catches
     *       up.</li>
     * </ul>
     * Measured in BENCHMARKS.md ("The README's sweep with 3 seeds, and early stopping against the selection rule"). A
     * warning, not an error: stopping such runs is a trade a user may choose.
     */
    public String pruningWarning() {
        if (!prunes() || klWeights.size() < 2) {
            return null;
        }
        if (prune.equals(PRUNE_MEDIAN)) {
            return "--prune median stops a run whose validation accuracy is below the median of the earlier runs of "
                    + "its seed, for accuracy alone: the runs of the larger KL weights, which trade accuracy for "
                    + "compression, are the ones it stops, and a point with a stopped run is never selected; "
                    + "--prune " + PRUNE_FLOOR + " stops only runs more than --prune-margin points below the best "
                    + "earlier run";
        }
        ScheduleOptions schedule = train.schedule();
        int atTarget = schedule.klSchedule().epochsToTarget();
        if (pruneAfter >= atTarget || atTarget > schedule.epochs()) {
            return null;
        }
        return "--prune-after " + pruneAfter + " lets --prune " + prune + " stop runs while their KL weight still "
                + "ramps up (it reaches its target in epoch " + atTarget + " with --kl-zero-epochs "
                + schedule.klZeroEpochs() + " and --kl-ramp-epochs " + schedule.klRampEpochs() + "): runs with larger "
                + "KL weights lag on validation accuracy there before they catch up, so the rule may stop the runs "
                + "the sweep would otherwise select; --prune-after " + atTarget + " compares the runs at their targets";
    }

    /** Number of (KL weight, threshold) points. */
    public int points() {
        return klWeights.size() * thresholds.size();
    }

    /** Number of rows of a finished sweep: one per point and seed. */
    public int rows() {
        return points() * seeds.size();
    }

    /** Number of training runs: one per KL weight and seed. */
    public int runs() {
        return klWeights.size() * seeds.size();
    }

    /** One training run of the sweep: its KL weight and seed. */
    public record Run(double klWeight, long seed) {
    }

    /**
     * The training runs in the sweep's order: by seed (in {@code seeds} order), then by KL weight. Runs start, and
     * their rows are recorded, in this order; early stopping compares a run with the runs of its seed before it.
     */
    public List<Run> runOrder() {
        List<Run> order = new java.util.ArrayList<>();
        for (long seed : seeds) {
            for (double w : klWeights) {
                order.add(new Run(w, seed));
            }
        }
        return List.copyOf(order);
    }

    /** The run directory of {@code klWeight} and {@code seed}, relative to the sweep's output ({@code runs/kl-0.3-seed-7}). */
    public static String runDirectory(double klWeight, long seed) {
        return RUNS_DIR + "/kl-" + plain(klWeight) + "-seed-" + seed;
    }

    /**
     * The configuration of the training run of {@code klWeight} and {@code seed}: the shared options, that weight and
     * seed, its directory.
     */
    public TrainConfig run(double klWeight, long seed) {
        ScheduleOptions s = train.schedule();
        return new TrainConfig(train.data(), train.model(),
                new ScheduleOptions(s.epochs(), s.learningRate(), s.lrDecay(), s.lrFinal(), klWeight,
                        s.klZeroEpochs(), s.klRampEpochs()),
                train.cluster(), Checks.child(train.output(), runDirectory(klWeight, seed)), seed);
    }

    /** {@code value} without exponent or trailing zeros: 0.1, 1, 0.003. */
    public static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /**
     * Refuses KL weights that would train identical runs (and record them as different points): a baseline variant
     * has no KL term, and a schedule that never leaves its epochs at weight 0 trains every target at 0.
     */
    private static void checkDistinctRuns(List<Double> klWeights, ModelOptions model, ScheduleOptions schedule) {
        if (klWeights.size() < 2) {
            return;
        }
        String weights = "--kl-weights " + String.join(",", klWeights.stream().map(SweepConfig::plain).toList())
                + " would train identical runs: ";
        if (!model.variant().equals(Variant.SPARSEVD.cliName())) {
            throw new JobConfigException(weights + "--variant " + model.variant() + " has no KL term; sweep "
                    + "--variant " + Variant.SPARSEVD.cliName() + ", or give one KL weight");
        }
        int atZero = schedule.klSchedule().epochsAtZero();
        if (schedule.epochs() <= atZero) {
            throw new JobConfigException(weights + "with --epochs " + schedule.epochs() + ", --kl-zero-epochs "
                    + schedule.klZeroEpochs() + " and --kl-ramp-epochs " + schedule.klRampEpochs()
                    + " the KL weight is 0 in every epoch (it first rises in epoch "
                    + (atZero + 1)
                    + "); give more --epochs or a shorter warm-up");
        }
    }

    /** Checks every value (finite, and non-negative if {@code nonNegative}) and that none is given twice. */
    private static List<Double> distinct(String option, List<Double> values, boolean nonNegative) {
        Checks.required(option, values);
        if (values.isEmpty()) {
            throw new JobConfigException(option + " needs at least one value");
        }
        Set<Double> seen = new HashSet<>();
        for (Double v : values) {
            Checks.required(option, v);
            if (nonNegative) {
                Checks.finiteNonNegative(option, v);
            } else {
                Checks.finite(option, v);
            }
            if (!seen.add(v == 0.0 ? 0.0 : v)) { // -0.0 and 0.0 are the same point
                throw new JobConfigException(option + ": " + plain(v) + " is given twice");
            }
        }
        return List.copyOf(values);
    }
}
