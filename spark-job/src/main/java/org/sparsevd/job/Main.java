package org.sparsevd.job;

import java.io.PrintWriter;
import org.sparsevd.job.cli.EvaluateCommand;
import org.sparsevd.job.cli.ExportCommand;
import org.sparsevd.job.cli.KlCurveCommand;
import org.sparsevd.job.cli.PredictCommand;
import org.sparsevd.job.cli.ReportCommand;
import org.sparsevd.job.cli.SweepCommand;
import org.sparsevd.job.cli.TrainCommand;
import org.sparsevd.job.cli.UserErrors;
import org.sparsevd.job.output.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sparsevd COMMAND [options]}: the entry point of the launcher and of {@code spark-submit}. */
@Command(name = "sparsevd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Distributed training of networks sparsified by Sparse Variational Dropout, on Apache Spark.",
        subcommands = {TrainCommand.class, SweepCommand.class, ReportCommand.class, KlCurveCommand.class,
                ExportCommand.class, EvaluateCommand.class, PredictCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failed run, 2 bad usage). */
    public static int run(String... args) {
        return run(new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, with error messages written to {@code err}. */
    public static int run(PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(err);
        cli.setParameterExceptionHandler(UserErrors::onBadUsage);
        cli.setExecutionExceptionHandler(UserErrors::onFailure);
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Provenance.build()};
        }
    }
}
