package org.sparsevd.job.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsevd report}: the HTML report of a train output directory. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write an HTML report of a train output directory: training curves, per-layer sparsity and "
                + "a picture of the masked first-layer weights (cf. Figure 2b of Molchanov et al. 2017).",
                "Writes INPUT/report/index.html (self-contained: images embedded) and the PNGs beside it, "
                        + "replacing an earlier report. INPUT may be any Hadoop FileSystem URI."})
public final class ReportCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "URI",
            description = "A train output directory (metrics.jsonl required; run.json and model.zip used if present).")
    String input;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var index = RunReport.write(TrainConfig.location("--input", input), new Configuration());
        spec.commandLine().getOut().println("Wrote " + index);
        return 0;
    }
}
