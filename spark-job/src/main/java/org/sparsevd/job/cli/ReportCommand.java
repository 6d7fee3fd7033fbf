package org.sparsevd.job.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.datasets.SourceNames;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.report.RunReport;
import org.sparsevd.job.report.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsevd report}: the HTML report of a train or sweep output directory. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"""
                Write an HTML report of a train output directory: training curves, per-layer sparsity and a picture of \
                the masked first-layer weights (cf. Figure 2b of Molchanov et al. 2017); or of a sweep output \
                directory: test accuracy vs compression of every (kl_weight, threshold) point with the Pareto front \
                and the selected point, accuracy, compression and per-layer sparsity vs threshold, and the report of \
                each of its runs.""",
                """
                Writes INPUT/report/index.html (self-contained: images embedded) and the PNGs beside it, replacing an \
                earlier report. INPUT may be any Hadoop FileSystem URI."""})
public final class ReportCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "URI", description = """
            A train output directory (metrics.jsonl required; run.json and model.zip used if present) or a sweep \
            output directory (sweep.json and sweep.jsonl).""")
    String input;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var uri = TrainConfig.location("--input", input);
        var conf = new Configuration();
        var index = SweepReport.isSweep(uri, conf) ? SweepReport.write(uri, conf) : RunReport.write(uri, conf);
        spec.commandLine().getOut().println("Wrote " + SourceNames.redact(String.valueOf(index)));
        return 0;
    }
}
