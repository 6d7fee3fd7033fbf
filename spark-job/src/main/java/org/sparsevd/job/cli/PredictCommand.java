package org.sparsevd.job.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.job.config.DataSplit;
import org.sparsevd.job.config.PredictConfig;
import org.sparsevd.job.serve.PredictJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsevd predict}: batch scoring of images by an exported model, as a Spark job. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"""
                Score images with an exported model file on Spark (the model broadcast once, each partition scored by \
                the sparse engine on an executor). Writes OUTPUT/predictions.csv and OUTPUT/predictions.jsonl: one row \
                per image with its index, id (index or PNG file name), predicted label and class probabilities."""})
public final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "URI", description = """
            A model file written by export.""")
    String model;

    @Option(names = "--data", required = true, paramLabel = "URI", description = """
            IDX or CIFAR-10 data as train reads it (the model's input decides which), or a directory of PNG images of \
            the model's input size (gray for 1 channel, RGB for 3).""")
    String data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "train|test", description = """
            Which split of IDX or CIFAR-10 data to score.""")
    String split;

    @Option(names = "--output", required = true, paramLabel = "URI", description = """
            Output directory; must not exist or be empty.""")
    String output;

    @Option(names = "--master", paramLabel = "URL", description = """
            Spark master (default: the one spark-submit set, else local[WORKERS]).""")
    String master;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = """
            Workers of the embedded local master; 4 partitions each.""")
    int workers;

    @Option(names = "--batch-size", defaultValue = "100", paramLabel = "B", description = """
            Images per engine call.""")
    int batchSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DataSplit s = switch (split) {
            case "train" -> DataSplit.TRAIN;
            case "test" -> DataSplit.TEST;
            default -> throw new org.sparsevd.job.config.JobConfigException("--split must be train or test, got '"
                    + split + "'");
        };
        PredictConfig config = PredictConfig.of(model, data, s, output, master, workers, batchSize);
        spec.commandLine().getOut().println(PredictJob.run(config, new Configuration()));
        return 0;
    }
}
