package org.sparsevd.job.cli;

import org.sparsevd.datasets.DatasetException;
import org.sparsevd.datasets.SourceNames;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.train.TrainingDivergedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one line on stderr and an exit code: 2 for a command line that cannot be run, 1 for a run
 * that failed. Whatever is printed is without credentials ({@link SourceNames#redact}), whoever wrote the message. Stack traces go to the log at debug level only (set {@code SPARSEVD_DEBUG=1} to see them).
 */
public final class UserErrors {
    private static final Logger log = LoggerFactory.getLogger(UserErrors.class);

    public static final int FAILED = 1;
    public static final int BAD_USAGE = 2;

    private UserErrors() {
    }

    public static int onBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(prefix(cmd) + "error: " + SourceNames.redact(e.getMessage()));
        cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        return BAD_USAGE;
    }

    public static int onFailure(Exception e, CommandLine cmd, ParseResult parsed) {
        boolean usage = e instanceof JobConfigException;
        boolean known = usage || e instanceof DatasetException || e instanceof OutputException
                || e instanceof TrainingDivergedException;
        String message = known ? e.getMessage() : describe(e);
        cmd.getErr().println(prefix(cmd) + "error: " + SourceNames.redact(message));
        if (System.getenv("SPARSEVD_DEBUG") != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            cmd.getErr().print(SourceNames.redact(trace.toString()));
        } else {
            log.debug("Failure details", e);
        }
        return usage ? BAD_USAGE : FAILED;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }

    /** An unexpected failure: its type and message, and the root cause's if different. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + Json.firstLine(e.getMessage()));
        if (root == e) {
            return top;
        }
        return top + " (caused by " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + Json.firstLine(root.getMessage())) + ")";
    }
}
