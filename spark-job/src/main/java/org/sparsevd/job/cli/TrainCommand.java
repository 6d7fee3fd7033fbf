package org.sparsevd.job.cli;

import java.util.concurrent.Callable;
import org.sparsevd.job.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sparsevd train}: one Sparse VD training run with per-epoch metrics. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Train a network with Sparse Variational Dropout by parameter averaging on Spark.",
                "Writes OUTPUT/metrics.jsonl and metrics.csv (one record per epoch), OUTPUT/model.zip and "
                        + "OUTPUT/run.json. Paths may be any Hadoop FileSystem URI (file:, hdfs:, s3a:, ...)."})
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    TrainOptions options;

    @Override
    public Integer call() {
        new TrainJob(options.config()).run();
        return 0;
    }
}
