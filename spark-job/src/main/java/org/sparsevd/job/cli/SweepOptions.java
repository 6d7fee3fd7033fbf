package org.sparsevd.job.cli;

import java.util.List;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The options of a sweep: every {@code train} option (the {@link TrainOptions} mixin), the KL weights and thresholds
 * to sweep, and the selection rule. A {@code --spec} file gives values for the same options by name.
 */
public final class SweepOptions {

    @Mixin
    TrainOptions train;

    @Option(names = "--kl-weights", split = ",", paramLabel = "W", description = """
            (required) Target KL weights, one training run each, e.g. 0.1,0.3,1.""")
    List<Double> klWeights;

    @Option(names = "--thresholds", split = ",", paramLabel = "T", description = """
            (required) Log-alpha mask thresholds every trained model is evaluated under (no retraining), e.g. \
            1,2,3,4,5.""")
    List<Double> thresholds;

    @Option(names = "--seeds", split = ",", paramLabel = "S", description = """
            Train every KL weight once per seed, e.g. 42,7,13 (default: --seed alone); the report and best.json give \
            each point's mean and standard deviation over the seeds.""")
    List<Long> seeds;

    @Option(names = "--prune", defaultValue = SweepConfig.PRUNE_NONE, paramLabel = "RULE", description = """
            Early stopping: none; floor: stop a run whose validation accuracy after an epoch e >= --prune-after is \
            more than --prune-margin points below the best of the earlier runs of the same seed at epoch e; or median \
            (Optuna's MedianPruner rule): below their median, for accuracy alone, which stops the larger KL weights. A \
            stopped run's rows say at which epoch, and it is not selected.""")
    String prune;

    @Option(names = "--prune-margin", defaultValue = "" + SweepConfig.DEFAULT_PRUNE_MARGIN, paramLabel = "POINTS",
            description = """
                    With --prune floor: how many percentage points below the best earlier run a run may be and go on \
                    (wider than --max-accuracy-drop: one seed's validation accuracy moves by most of a point from \
                    epoch to epoch).""")
    double pruneMargin;

    @Option(names = "--prune-after", defaultValue = "1", paramLabel = "E", description = """
            The first epoch after which --prune may stop a run; best after the KL ramp (--kl-zero-epochs + \
            --kl-ramp-epochs + 1).""")
    int pruneAfter;

    @Option(names = "--parallel", defaultValue = "1", paramLabel = "K", description = """
            Train up to K runs at once in the one Spark application, each with its own --workers, in its own FAIR \
            scheduler pool and job group (for a cluster with K x --workers executor cores); the results are those of K \
            = 1.""")
    int parallel;

    @Option(names = "--max-accuracy-drop", defaultValue = "1.0", paramLabel = "POINTS", description = """
            Selection rule for best.json: the most compressed point whose mean validation accuracy is at most this \
            many percentage points below the best of the sweep (needs --validation).""")
    double maxAccuracyDrop;

    /**
     * The validated sweep configuration. {@code parsed} tells which options were given: the single-run
     * {@code --kl-weight} and {@code --threshold} are refused, since the sweep sets them.
     */
    SweepConfig config(ParseResult parsed) {
        for (String[] replaced : new String[][] {{"--kl-weight", "--kl-weights"}, {"--threshold", "--thresholds"}}) {
            if (parsed.hasMatchedOption(replaced[0])) {
                throw new JobConfigException(replaced[0] + " does not apply to a sweep; give the values to sweep "
                        + "with " + replaced[1]);
            }
        }
        if (seeds != null && parsed.hasMatchedOption("--seed")) {
            throw new JobConfigException("--seed does not apply to a sweep given --seeds; list every seed in --seeds");
        }
        TrainConfig shared = train.config();
        return new SweepConfig(shared, klWeights, thresholds, seeds == null ? List.of(shared.seed()) : seeds,
                maxAccuracyDrop, prune, pruneAfter, pruneMargin, parallel);
    }
}
