package org.sparsevd.job.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.sweep.SweepJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsevd sweep}: one training run per KL weight, every model evaluated under every threshold. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"""
                Sweep kl_weight and the pruning threshold in one Spark application: the data is read and cached once, \
                one model is trained per KL weight, and every trained model is evaluated under every threshold \
                (thresholds need no retraining).""",
                """
                Writes OUTPUT/sweep.csv and sweep.jsonl (one row per point, with provenance), OUTPUT/best.json (the \
                point the selection rule picks, and the Pareto front of accuracy vs compression), OUTPUT/sweep.json \
                (the spec) and OUTPUT/runs/kl-W/ (each training run). Run it again with the same spec and output to \
                resume: finished points are kept, unfinished ones re-run. '{date}' in --output stands for today's UTC \
                date (yyyy-MM-dd), for scheduled sweeps: a sweep restarted the same day resumes."""})
public final class SweepCommand implements Callable<Integer> {
    /** Replaced in --output by the UTC date (yyyy-MM-dd): one output per day for scheduled sweeps. */
    static final String DATE = "{date}";

    @Option(names = "--spec", paramLabel = "FILE", description = """
            YAML (or .json) file mapping option names of this command to values, e.g. 'kl-weights: [0.1, 0.3, 1]'; \
            options given here override it. Any Hadoop FileSystem URI.""")
    String specFile;

    /** Declares the options (help, parsing); the effective values are those of {@link #config()}. */
    @Mixin
    SweepOptions options;

    @Mixin
    WatchOptions watch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        new SweepJob(config(), watch.watch()).run();
        return 0;
    }

    /**
     * The spec file's values overridden by the options given on the command line: the file's values for the options
     * not given there, then the command line's, parsed as one argument list.
     */
    SweepConfig config() {
        SweepOptions effective = new SweepOptions();
        CommandLine parser = new CommandLine(effective);
        List<String> given = new ArrayList<>();
        Set<String> givenNames = new HashSet<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (!option.longestName().equals("--spec") && !WatchOptions.NAMES.contains(option.longestName())) {
                givenNames.add(option.longestName());
                option.originalStringValues().forEach(v -> given.add(option.longestName() + "=" + v));
            }
        }
        List<String> args = new ArrayList<>();
        if (specFile != null) {
            for (String arg : SweepSpecFile.arguments(TrainConfig.location("--spec", specFile), new Configuration(),
                    parser.getCommandSpec())) {
                if (!givenNames.contains(arg.substring(0, arg.indexOf('=')))) {
                    args.add(arg);
                }
            }
        }
        args.addAll(given);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        args.replaceAll(a -> a.startsWith("--output=") ? a.replace(DATE, today) : a);
        try {
            parser.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new JobConfigException("--spec " + specFile + ": " + e.getMessage());
        }
        return effective.config(parser.getParseResult());
    }
}
