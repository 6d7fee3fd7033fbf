package org.sparsevd.job.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.output.RunReader;

/**
 * {@code sparsevd report}: reads a train output directory and writes {@code <input>/report/}: the PNG figures and
 * one self-contained {@code index.html} with the same figures embedded. Everything is drawn in memory first,
 * written into {@code <input>/report.tmp-<random>/} and only then renamed to {@code report/} (an existing report
 * is renamed away first and deleted last), so a failure never leaves a partial report.
 */
public final class RunReport {
    private static final Logger log = LoggerFactory.getLogger(RunReport.class);

    public static final String WEIGHTS_FILE = "weights.png";

    private static final String EPOCH = "epoch";

    private RunReport() {
    }

    /** Writes the report of the train output at {@code input}; returns the location of its index.html. */
    public static Path write(URI input, Configuration conf) {
        RunReader.Run run = RunReader.read(input, conf);
        List<Html.Image> curves = curves(run.epochs());
        Html.Image weights = null;
        String weightsNote;
        if (run.model() == null) {
            weightsNote = "The first-layer weights figure needs " + RunFiles.MODEL + ", which " + run.location()
                    + " does not have (is the run still in progress?).";
        } else {
            WeightImage.Figure figure = WeightImage.firstLayer(run.model());
            weightsNote = figure.caption();
            if (figure.drawn()) {
                weights = new Html.Image(WEIGHTS_FILE, "First-layer weights after masking",
                        figure.caption(), png(figure.image()), figure.image().getWidth(),
                        figure.image().getHeight());
            } else {
                log.warn("No weights figure: {}", figure.caption());
            }
        }
        List<String> sources = new ArrayList<>(List.of(RunFiles.METRICS_JSONL));
        if (run.info() != null) {
            sources.add(RunFiles.RUN);
        }
        if (run.model() != null) {
            sources.add(RunFiles.MODEL);
        }
        String generatedBy = Html.generatedBy(run.location(), String.join(", ", sources));
        String html = RunReportPage.html(run, curves, weights, weightsNote, generatedBy);

        List<Html.Image> figures = new ArrayList<>(curves);
        if (weights != null) {
            figures.add(weights);
        }
        return Html.publish(run.output(), figures, html);
    }

    /** The per-epoch training curves of metrics.jsonl. */
    static List<Html.Image> curves(List<EpochMetrics> epochs) {
        double[] x = column(epochs, EpochMetrics::epoch);
        List<Html.Image> out = new ArrayList<>();
        Charts.Line accuracy = Charts.line("Accuracy", EPOCH, "accuracy (%)").integerX();
        if (epochs.stream().allMatch(m -> m.valAccuracy() != null)) {
            accuracy.series("validation accuracy", x, column(epochs, m -> 100 * m.valAccuracy()));
        }
        accuracy.series("test accuracy", x, column(epochs, m -> 100 * m.testAccuracy()));
        out.add(chart("accuracy.png", "Accuracy",
                "Accuracy of the masked, deterministic network on the held-out validation set (if any) and the test "
                        + "set after each epoch.", accuracy));
        out.add(chart("data-loss.png", "Data loss",
                "Mean cross-entropy of the epoch's training minibatches, under the training noise.",
                Charts.line("Data loss (training)", EPOCH, "cross-entropy (nats per example)").integerX()
                        .series("data loss", x, column(epochs, EpochMetrics::dataLoss))));
        out.add(chart("kl.png", "KL divergence",
                "KL(q||p) of all layers at the end of each epoch (eq. 14 approximation), unweighted.",
                Charts.line("KL divergence from the log-uniform prior", EPOCH, "KL, summed over layers (nats)")
                        .integerX().series("KL", x, column(epochs, EpochMetrics::kl))));
        out.add(chart("sgvlb.png", "Objective (negative SGVLB per example)",
                "The minimized objective: data loss + kl_weight * KL / N, per example; it jumps while the KL "
                        + "weight warms up.",
                Charts.line("Objective: negative SGVLB per example", EPOCH,
                                "data loss + kl_weight \u00b7 KL / N (nats per example)").integerX()
                        .series("objective", x, column(epochs, EpochMetrics::sgvlb))));
        out.add(chart("compression.png", "Compression",
                "Total weights divided by the weights kept by the inference mask (log alpha < threshold), "
                        + "biases not counted; log scale.",
                Charts.line("Compression", EPOCH, "all weights / kept weights (\u00d7, log scale)").logY()
                        .integerX().series("compression", x, column(epochs, EpochMetrics::compression))));
        Charts.Line sparsity = Charts.line("Sparsity per layer", EPOCH, "weights pruned (%)").integerX();
        for (String layer : layerNames(epochs)) {
            sparsity.series(layer, x, column(epochs, m -> m.layers().stream().filter(l -> l.name().equals(layer))
                    .mapToDouble(l -> 100 * l.sparsity()).findFirst().orElse(Double.NaN)));
        }
        out.add(chart("sparsity.png", "Sparsity per layer",
                "Fraction of each layer's weights zeroed by the inference mask after each epoch.", sparsity));
        return out;
    }

    private static Html.Image chart(String file, String title, String caption, Charts.Line line) {
        return Html.Image.chart(file, title, caption, line);
    }

    private static double[] column(List<EpochMetrics> epochs, ToDoubleFunction<EpochMetrics> f) {
        return epochs.stream().mapToDouble(f).toArray();
    }

    private static List<String> layerNames(List<EpochMetrics> epochs) {
        List<String> names = new ArrayList<>();
        for (EpochMetrics m : epochs) {
            for (LayerMetrics l : m.layers()) {
                if (!names.contains(l.name())) {
                    names.add(l.name());
                }
            }
        }
        return names;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode an image as PNG", e);
        }
        return out.toByteArray();
    }

}
