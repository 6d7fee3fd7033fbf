package org.sparsevd.job.cli;

import java.util.concurrent.Callable;
import org.sparsevd.job.run.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sparsevd train}: one Sparse VD training run with per-epoch metrics. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Train a network with Sparse Variational Dropout, data-parallel on Spark.",
                """
                Writes OUTPUT/metrics.jsonl and metrics.csv (one record per epoch), OUTPUT/model.zip and \
                OUTPUT/run.json. Paths may be any Hadoop FileSystem URI (file:, hdfs:, s3a:, ...).""",
                """
                After every epoch OUTPUT/checkpoint.zip holds the whole training state: a run that stops after its \
                first epoch keeps OUTPUT, and the same command with --resume continues it."""})
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    TrainOptions options;

    @Mixin
    WatchOptions watch;

    @Option(names = "--resume", description = """
            Continue the run in --output from its last checkpoint; give the run's own options.""")
    boolean resume;

    @Override
    public Integer call() {
        new TrainJob(options.config(), resume, m -> { }, watch.watch()).run();
        return 0;
    }
}
