package org.sparsevd.job.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.core.engine.Quantization;
import org.sparsevd.job.config.ExportConfig;
import org.sparsevd.job.serve.ExportJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsevd export}: a trained run as one Deep-Compression model file for the sparse inference engine. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"""
                Write a trained network as one model file (docs/model-format.md): its kept weights (log alpha below \
                the threshold) as Huffman-coded gap indices and, unless --no-quantize, k-means-shared values (Deep \
                Compression), with its architecture, input preprocessing and provenance. Also writes OUTPUT.json and \
                prints, per layer, the bytes at each stage and the accuracy after each stage (pruned, quantized, \
                centroids retrained on the training split)."""})
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "URI", description = """
            A train output directory (model.zip, run.json) or a sweep output directory (the point its best.json \
            selected: that run and that threshold).""")
    String input;

    @Option(names = "--output", required = true, paramLabel = "URI", description = """
            The model file to write (must not exist); OUTPUT.json is written beside it.""")
    String output;

    @Option(names = "--threshold", paramLabel = "T", description = """
            log alpha threshold (default: the run's own, or the sweep's selected one).""")
    Double threshold;

    @Option(names = "--bits-dense", defaultValue = "" + Quantization.DEFAULT_DENSE_BITS, paramLabel = "B",
            description = """
                    Bits of the shared-value index of fully connected layers (2^B centroids), 1..16.""")
    int bitsDense;

    @Option(names = "--bits-conv", defaultValue = "" + Quantization.DEFAULT_CONV_BITS, paramLabel = "B",
            description = """
                    Bits of the shared-value index of convolution layers, 1..16.""")
    int bitsConv;

    @Option(names = "--no-quantize", description = """
            Keep the kept weights' values as float32 (no k-means).""")
    boolean noQuantize;

    @Option(names = "--retrain-epochs", paramLabel = "N", description = """
            Passes over the training split that retrain the shared centroids after k-means (Deep Compression), masks \
            and assignments fixed; 0: k-means centroids as they are. Default:\s"""
            + ExportConfig.DEFAULT_RETRAIN_EPOCHS + " (0 with --no-quantize).")
    Integer retrainEpochs;

    @Option(names = "--retrain-lr", paramLabel = "LR", description = """
            Adam's learning rate for the centroid retraining. Default:\s""" + ExportConfig.DEFAULT_RETRAIN_LR + ".")
    Double retrainLr;

    @Option(names = "--data", paramLabel = "URI", description = """
            Data set whose training split retrains the centroids and whose test split measures the accuracy (default: \
            the run's --data, and its --limit-train subset for retraining).""")
    String data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExportConfig config = ExportConfig.of(input, output, data, threshold, bitsDense, bitsConv, !noQuantize,
                retrainEpochs, retrainLr);
        ExportJob.run(config, new Configuration(), new PrintWriter(spec.commandLine().getOut(), true));
        return 0;
    }
}
