package org.sparsevd.job.report;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.SweepFiles;
import org.sparsevd.job.output.SweepRecord;
import org.sparsevd.job.metrics.SweepPoint;
import org.sparsevd.job.metrics.SweepSelection;

/**
 * The report of a sweep output: accuracy against compression for every (KL weight, threshold) point with the
 * Pareto front and the selected point marked, test accuracy, compression and per-layer sparsity against the
 * threshold, the table of all points, and each finished training run's own report (written into the run's
 * directory and linked). Published like {@link RunReport}: whole or not at all.
 */
public final class SweepReport {
    private static final Logger log = LoggerFactory.getLogger(SweepReport.class);

    static final String TRADEOFF_FILE = "tradeoff.png";
    private static final String THRESHOLD = "threshold t (weights with log \u03b1 \u2265 t are pruned)";

    private SweepReport() {
    }

    /** Whether {@code input} is a sweep output (rather than a train output). */
    public static boolean isSweep(URI input, Configuration conf) {
        return SweepRecord.isSweep(input, conf);
    }

    /** Writes the report of the sweep output at {@code input} and its runs'; returns its index.html. */
    public static Path write(URI input, Configuration conf) {
        SweepRecord sweep = SweepRecord.read(input, conf);
        String location = Provenance.redact(input);
        List<SweepPoint> points = sweep.points();
        SweepPoint selected = SweepSelection.select(points, sweep.maxAccuracyDrop());
        List<Html.Image> figures = figures(points, selected);

        Map<String, String> runReports = new LinkedHashMap<>();
        for (SweepPoint p : points) {
            String run = p.provenance().run();
            if (!runReports.containsKey(run)) {
                RunReport.write(TrainConfig.child(input, run), conf);
                runReports.put(run, "../" + run + "/" + Html.DIR + "/" + Html.INDEX);
            }
        }
        String generatedBy = Html.generatedBy(Html.reportCommand(location), SweepFiles.SPEC + " and " + SweepFiles.ROWS);
        String html = SweepReportPage.html(location, sweep, selected, figures, runReports, generatedBy);

        log.info("Sweep report of {} points, {} run reports", points.size(), runReports.size());
        return Html.publish(sweep.output(), figures, html);
    }

    /** The sweep's figures: the trade-off, then accuracy, compression and each layer's sparsity per threshold. */
    static List<Html.Image> figures(List<SweepPoint> points, SweepPoint selected) {
        List<Double> weights = points.stream().map(SweepPoint::klWeight).distinct().toList();
        List<Html.Image> out = new ArrayList<>();

        Charts.Line tradeoff = Charts.line("Test accuracy vs compression", "compression: all weights / kept "
                + "weights (\u00d7, log scale)", "test accuracy (%)").logX();
        for (double w : weights) {
            List<SweepPoint> run = run(points, w);
            tradeoff.series("kl_weight " + SweepConfig.plain(w) + " (thresholds " + thresholds(run) + ")",
                    column(run, SweepPoint::compression), column(run, p -> 100 * p.testAccuracy()));
        }
        List<SweepPoint> front = SweepSelection.front(points);
        tradeoff.series("Pareto front", column(front, SweepPoint::compression),
                column(front, p -> 100 * p.testAccuracy())).dashed();
        tradeoff.series("selected: kl_weight " + SweepConfig.plain(selected.klWeight()) + ", threshold "
                        + SweepConfig.plain(selected.threshold()), new double[] {selected.compression()},
                new double[] {100 * selected.testAccuracy()}).highlighted();
        out.add(image(TRADEOFF_FILE, "Test accuracy vs compression",
                "Every (kl_weight, threshold) point: one line per trained model, through its thresholds; the "
                        + "dashed line joins the Pareto front (no point is both more accurate and more "
                        + "compressed), the ring marks the point the selection rule picks.", tradeoff));

        out.add(image("accuracy-threshold.png", "Test accuracy vs threshold",
                "Accuracy of each trained model, masked at each threshold (no retraining).",
                perThreshold("Test accuracy vs threshold", "test accuracy (%)", points, weights,
                        p -> 100 * p.testAccuracy(), false)));
        out.add(image("compression-threshold.png", "Compression vs threshold",
                "All weights / kept weights of each trained model at each threshold; log scale.",
                perThreshold("Compression vs threshold", "compression (\u00d7, log scale)", points, weights,
                        SweepPoint::compression, true)));
        for (LayerMetrics layer : points.get(0).layers()) {
            String name = layer.name();
            out.add(image("sparsity-" + name + ".png", "Sparsity of " + name + " vs threshold",
                    "Fraction of " + name + "'s " + Html.count(layer.weights())
                            + " weights pruned at each threshold, for each trained model.",
                    perThreshold("Sparsity of layer " + name + " vs threshold", "weights pruned (%)", points,
                            weights, p -> 100 * p.layers().stream().filter(l -> l.name().equals(name))
                                    .mapToDouble(LayerMetrics::sparsity).findFirst().orElse(Double.NaN), false)));
        }
        return out;
    }

    private static Charts.Line perThreshold(String title, String yLabel, List<SweepPoint> points,
                                            List<Double> weights, ToDoubleFunction<SweepPoint> y, boolean logY) {
        Charts.Line chart = Charts.line(title, THRESHOLD, yLabel);
        if (logY) {
            chart.logY();
        }
        for (double w : weights) {
            List<SweepPoint> run = run(points, w);
            chart.series("kl_weight " + SweepConfig.plain(w), column(run, SweepPoint::threshold), column(run, y));
        }
        return chart;
    }

    /** The points of one training run, by threshold. */
    private static List<SweepPoint> run(List<SweepPoint> points, double klWeight) {
        return points.stream().filter(p -> Double.compare(p.klWeight(), klWeight) == 0)
                .sorted(java.util.Comparator.comparingDouble(SweepPoint::threshold)).toList();
    }

    private static String thresholds(List<SweepPoint> run) {
        List<String> t = run.stream().map(p -> SweepConfig.plain(p.threshold())).toList();
        return t.size() <= 2 ? String.join(", ", t) : t.get(0) + "\u2013" + t.get(t.size() - 1);
    }

    private static double[] column(List<SweepPoint> points, ToDoubleFunction<SweepPoint> f) {
        return points.stream().mapToDouble(f).toArray();
    }

    private static Html.Image image(String file, String title, String caption, Charts.Line chart) {
        return Html.Image.chart(file, title, caption, chart);
    }
}
