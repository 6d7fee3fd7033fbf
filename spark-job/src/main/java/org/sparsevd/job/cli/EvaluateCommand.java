package org.sparsevd.job.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.job.config.EvaluateConfig;
import org.sparsevd.job.serve.EvaluateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsevd evaluate}: accuracy, per-class accuracy and confusion matrix of a model on a test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"""
                Evaluate a model on the test split of a data set (IDX or CIFAR-10, as the model's input): accuracy, \
                per-class accuracy, the confusion matrix and examples/s, in this JVM on one thread."""})
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "URI", description = """
            An exported model file (run by the sparse engine), a run's model.zip or a run directory (the masked DL4J \
            network; its run.json gives the preprocessing).""")
    String model;

    @Option(names = "--data", required = true, paramLabel = "URI", description = """
            The data set; its test split is used.""")
    String data;

    @Option(names = "--threshold", paramLabel = "T", description = """
            log alpha threshold of a DL4J model's mask (default: the run's own).""")
    Double threshold;

    @Option(names = "--output", paramLabel = "URI", description = """
            Also write the results as JSON here (must not exist).""")
    String output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        EvaluateConfig config = EvaluateConfig.of(model, data, threshold, output);
        spec.commandLine().getOut().print(EvaluateJob.run(config, new Configuration()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
