package org.sparsevd.job.config;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sparsevd.core.arch.Variant;

/**
 * The whole, validated configuration of one {@code sweep}: one training run per KL weight, each trained model
 * evaluated under every threshold, and the rule that picks one (KL weight, threshold) point.
 *
 * @param train           the options every run shares; its output is the sweep's output directory, and its KL
 *                        weight and threshold are those of the runs' own per-epoch metrics only
 * @param klWeights       target KL weights, one training run each (distinct, finite, &ge; 0, and, if more than one,
 *                        training differently: a Sparse VD variant whose schedule gets past its epochs at 0)
 * @param thresholds      log-alpha mask thresholds every trained model is evaluated under (distinct, each in
 *                        (logAlphaMin, logAlphaMax] of the model)
 * @param maxAccuracyDrop the selection rule: the most compressed point whose test accuracy is at most this many
 *                        percentage points below the sweep's best
 */
public record SweepConfig(TrainConfig train, List<Double> klWeights, List<Double> thresholds, double maxAccuracyDrop) {
    /** Where the runs live inside the sweep's output directory. */
    public static final String RUNS_DIR = "runs";

    public SweepConfig {
        Checks.required("train options", train);
        klWeights = distinct("--kl-weights", klWeights, true);
        thresholds = distinct("--thresholds", thresholds, false);
        ModelOptions model = train.model();
        thresholds.forEach(t -> Checks.threshold("--thresholds", t, model.logAlphaMin(), model.logAlphaMax()));
        checkDistinctRuns(klWeights, model, train.schedule());
        if (!Double.isFinite(maxAccuracyDrop) || maxAccuracyDrop < 0 || maxAccuracyDrop > 100) {
            throw new JobConfigException("--max-accuracy-drop must be between 0 and 100 percentage points, got "
                    + maxAccuracyDrop);
        }
    }

    /** Number of (KL weight, threshold) points. */
    public int points() {
        return klWeights.size() * thresholds.size();
    }

    /** The run directory of {@code klWeight}, relative to the sweep's output ({@code runs/kl-0.3}). */
    public static String runDirectory(double klWeight) {
        return RUNS_DIR + "/kl-" + plain(klWeight);
    }

    /** The configuration of the training run of {@code klWeight}: the shared options, that weight, its directory. */
    public TrainConfig run(double klWeight) {
        ScheduleOptions s = train.schedule();
        return new TrainConfig(train.data(), train.model(),
                new ScheduleOptions(s.epochs(), s.learningRate(), s.lrDecay(), s.lrFinal(), klWeight,
                        s.klZeroEpochs(), s.klRampEpochs()),
                train.cluster(), Checks.child(train.output(), runDirectory(klWeight)), train.seed());
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
