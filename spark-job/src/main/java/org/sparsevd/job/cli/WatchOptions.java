package org.sparsevd.job.cli;

import java.util.Set;
import org.sparsevd.job.run.Watch;
import picocli.CommandLine.Option;

/** {@code --quiet} and {@code --report}, shared by the commands that train: how a run can be watched. */
public final class WatchOptions {
    /** The option names, which a sweep's spec file does not take. */
    static final Set<String> NAMES = Set.of("--quiet", "--report");

    @Option(names = "--quiet", description = """
            No progress lines inside an epoch (the line after each epoch stays).""")
    boolean quiet;

    @Option(names = "--report", description = """
            Rewrite OUTPUT/report/index.html after every epoch; it reloads itself in a browser while the run goes on. \
            The last one is what 'sparsevd report' writes.""")
    boolean report;

    Watch watch() {
        return new Watch(!quiet, report);
    }
}
