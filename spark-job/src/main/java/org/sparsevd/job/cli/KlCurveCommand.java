package org.sparsevd.job.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.report.KlCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsevd kl-curve}: Figure 1 of Molchanov et al. (2017), the eq. 14 KL approximation against quadrature. */
@Command(name = "kl-curve", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"""
                Plot the approximation of -KL(q||p) of eq. 14 (Molchanov et al. 2017, Figure 1) against its numerical \
                value (deterministic quadrature), and their difference. No training needed.""",
                """
                Writes DIR/kl-curve.png, kl-curve-error.png and kl-curve.csv (logalpha,approx,numeric,difference) and \
                prints the largest |difference|."""})
public final class KlCurveCommand implements Callable<Integer> {
    /** Far more than a 900-pixel-wide chart can show; keeps the CSV and the charts small. */
    static final int MAX_POINTS = 100_000;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = """
            Output directory (created if missing; existing files of the same names are replaced).""")
    String output;

    @Option(names = "--min", defaultValue = "-8", paramLabel = "LOGALPHA", description = """
            Smallest log alpha.""")
    double min;

    @Option(names = "--max", defaultValue = "8", paramLabel = "LOGALPHA", description = """
            Largest log alpha.""")
    double max;

    @Option(names = "--points", defaultValue = "801", paramLabel = "N", description = """
            Number of equally spaced log alpha values.""")
    int points;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min >= max) {
            throw new JobConfigException("--min (" + min + ") and --max (" + max
                    + ") must be finite with --min < --max");
        }
        if (points < 2 || points > MAX_POINTS) {
            throw new JobConfigException("--points must be between 2 and " + MAX_POINTS + ", got " + points);
        }
        var dir = TrainConfig.location("--output", output);
        KlCurve curve = KlCurve.compute(min, max, points);
        curve.writeTo(dir, new Configuration());
        KlCurve.Point worst = curve.worst();
        spec.commandLine().getOut().println(String.format(Locale.ROOT,
                "max |difference| = %.6f nats at log alpha = %.3f (%d points in [%s, %s]); wrote %s, %s, %s to %s",
                Math.abs(worst.difference()), worst.logAlpha(), points, min, max, KlCurve.CURVE_PNG,
                KlCurve.ERROR_PNG, KlCurve.CSV, Provenance.redact(dir)));
        return 0;
    }
}
