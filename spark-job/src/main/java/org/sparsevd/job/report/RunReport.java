package org.sparsevd.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.output.RunOutput;
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
    private static final AtomicBoolean WARMING_UP = new AtomicBoolean();

    private RunReport() {
    }

    /**
     * Starts, once per JVM, a background thread that draws one small chart in memory and encodes it, which loads
     * what every report needs once (AWT's headless graphics, the fonts, JFreeChart): {@code train --report} calls it
     * when it starts, so that this one-time work overlaps the data loading and Spark's start instead of delaying
     * the driver after the first epoch. It writes nothing, and a failure here only leaves the work to the first
     * report.
     */
    public static void warmUpInBackground() {
        if (WARMING_UP.compareAndSet(false, true)) {
            Thread warmUp = new Thread(() -> {
                try {
                    Charts.line("warm-up", EPOCH, "y").integerX().series("y", new double[] {1, 2},
                            new double[] {1, 2}).png();
                } catch (RuntimeException | Error e) {
                    log.debug("The report warm-up failed (the first report does the work instead)", e);
                }
            }, "sparsevd-report-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
    }

    /** Writes the report of the train output at {@code input}; returns the location of its index.html. */
    public static Path write(URI input, Configuration conf) {
        RunReader.Run run = RunReader.read(input, conf);
        Map<String, byte[]> files = files(run, 0, Html.reportCommand(run.location()));
        return new Path(run.output().writeDirectory(Html.DIR, files, "the report"), Html.INDEX);
    }

    /**
     * Writes the report of a run that is training (or has just finished) into {@code <output>/report/}: each file
     * to a temporary name and renamed over the previous one, index.html last, so a browser never reads a half
     * file and the page it reloads is always whole. While the run trains ({@code refreshSeconds > 0}) that is
     * index.html alone, its figures embedded (each atomic write costs several file system calls, on HDFS round
     * trips to the name node); the final report adds the figures' PNG files beside it, as {@link #write} does.
     * Returns the location of index.html.
     *
     * @param epochs         the epochs so far
     * @param info           the run record (run.json, or what there is of it while the run trains)
     * @param model          the network as it is now
     * @param refreshSeconds how often the page reloads itself; 0 for never (the final report, as {@link #write}
     *                       would write it)
     */
    public static Path writeLive(RunOutput output, List<EpochMetrics> epochs, JsonNode info, MultiLayerNetwork model,
                                 int refreshSeconds) {
        RunReader.Run run = new RunReader.Run(output, epochs, info, model);
        Map<String, byte[]> files = files(run, refreshSeconds, "'sparsevd train --report' after epoch "
                + run.last().epoch());
        RunOutput dir = output.subdirectory(Html.DIR);
        files.forEach((name, bytes) -> dir.write(name, out -> out.write(bytes)));
        return dir.path(Html.INDEX);
    }

    /** The report's files, index.html last: only index.html while the run trains ({@code refreshSeconds > 0}). */
    private static Map<String, byte[]> files(RunReader.Run run, int refreshSeconds, String command) {
        List<Html.Image> curves = new ArrayList<>(curves(run.epochs()));
        Html.Image logAlpha = LogAlphaFigure.draw(run.epochs(), threshold(run));
        if (logAlpha != null) {
            curves.add(logAlpha);
        }
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
                        figure.caption(), Png.encode(figure.image()), figure.image().getWidth(),
                        figure.image().getHeight());
            } else {
                log.warn("No weights figure: {}", figure.caption());
            }
        }
        boolean live = refreshSeconds > 0;
        List<String> sources = new ArrayList<>(List.of(RunFiles.METRICS_JSONL));
        if (run.info() != null) {
            sources.add(RunFiles.RUN);
        }
        if (run.model() != null) {
            sources.add(RunFiles.MODEL);
        }
        String generatedBy = Html.generatedBy(command, String.join(", ", sources));
        String html = RunReportPage.html(run, curves, weights, weightsNote, generatedBy, refreshSeconds);

        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Html.Image img : live ? List.<Html.Image>of() : curves) {
            files.put(img.file(), img.png());
        }
        if (weights != null && !live) {
            files.put(weights.file(), weights.png());
        }
        files.put(Html.INDEX, html.getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** The run's pruning threshold: from run.json, else from the model's first Sparse VD layer; null if neither. */
    private static Double threshold(RunReader.Run run) {
        String configured = Html.text(run.info(), "config", "model", "threshold");
        if (configured != null) {
            return Double.valueOf(configured);
        }
        if (run.model() != null) {
            for (var layer : run.model().getLayerWiseConfigurations().getConfs()) {
                if (layer.getLayer() instanceof SparseVdLayer sparse) {
                    return sparse.getThreshold();
                }
            }
        }
        return null;
    }

    /** The per-epoch training curves of metrics.jsonl. */
    static List<Html.Image> curves(List<EpochMetrics> epochs) {
        double[] x = column(epochs, EpochMetrics::epoch);
        List<Html.Image> out = new ArrayList<>();
        Charts.Line accuracy = Charts.line("Accuracy", EPOCH, "accuracy (%)").integerX();
        if (epochs.stream().allMatch(m -> m.valAccuracy() != null)) {
            accuracy.series("validation accuracy", x, column(epochs, m -> 100 * m.valAccuracy()));
        }
        accuracy.series("test accuracy", x, column(epochs, m -> 100 * m.testAccuracy()))
                .series("train accuracy (training passes)", x, column(epochs, m -> 100 * orNaN(m.trainAccuracy())));
        out.add(chart("accuracy.png", "Accuracy",
                "Validation and test: accuracy of the masked, deterministic network on the held-out validation set "
                        + "(if any) and on the test set after each epoch. Train: the share of the epoch's training "
                        + "examples classified right in their training forward passes (under the training noise, "
                        + "before each update; absent from metrics written before it was recorded).",
                accuracy));
        out.add(chart("data-loss.png", "Loss",
                "Data loss: mean cross-entropy of the epoch's training minibatches, under the training noise. "
                        + "Test loss: mean cross-entropy of the masked, deterministic network on the test set "
                        + "(absent from metrics written before it was recorded).",
                Charts.line("Cross-entropy", EPOCH, "cross-entropy (nats per example)").integerX()
                        .series("data loss (training)", x, column(epochs, EpochMetrics::dataLoss))
                        .series("test loss", x, column(epochs, m -> orNaN(m.testLoss())))));
        out.add(chart("kl.png", "KL divergence",
                "KL(q||p) of all layers at the end of each epoch (eq. 14 approximation), unweighted.",
                Charts.line("KL divergence from the log-uniform prior", EPOCH, "KL, summed over layers (nats)")
                        .integerX().series("KL", x, column(epochs, EpochMetrics::kl))));
        double lr0 = epochs.get(0).learningRate();
        String lr0Text = String.format(java.util.Locale.ROOT, "%.2g", lr0);
        out.add(chart("sgvlb.png", "Objective (negative SGVLB per example) and schedules",
                "The minimized objective: data loss + kl_weight * KL / N, per example; it jumps while the KL "
                        + "weight warms up. Dashed, on the right axis: the epoch's KL weight and its learning rate "
                        + "relative to the first epoch's (" + lr0Text + ").",
                Charts.line("Objective: negative SGVLB per example", EPOCH,
                                "data loss + kl_weight \u00b7 KL / N (nats per example)").integerX()
                        .series("objective", x, column(epochs, EpochMetrics::sgvlb))
                        .rightAxis("schedule: KL weight, learning rate / " + lr0Text)
                        .series("KL weight", x, column(epochs, EpochMetrics::klWeight))
                        .series("learning rate / " + lr0Text, x, column(epochs, m -> m.learningRate() / lr0))));
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

    /** A value that older metrics files lack as NaN, which charts leave out. */
    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
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
}
