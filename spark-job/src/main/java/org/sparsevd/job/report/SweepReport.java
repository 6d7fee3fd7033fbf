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
import org.sparsevd.job.metrics.PointStats;
import org.sparsevd.job.output.SweepFiles;
import org.sparsevd.job.output.SweepRecord;
import org.sparsevd.job.metrics.SweepPoint;
import org.sparsevd.job.metrics.SweepSelection;

/**
 * The report of a sweep output: validation accuracy against compression for every (KL weight, threshold) point
 * (means over the seeds) with the Pareto front and the selected point marked, validation and test accuracy,
 * compression and per-layer sparsity against the threshold, the table of all points with their spread over the
 * seeds, and each finished training run's own report (written into the run's directory and linked). Published like
 * {@link RunReport}: whole or not at all.
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
        List<PointStats> stats = sweep.stats();
        PointStats selected = SweepSelection.select(stats, sweep.maxAccuracyDrop());
        List<Html.Image> figures = figures(points, stats, selected);

        Map<String, String> runReports = new LinkedHashMap<>();
        for (SweepPoint p : points) {
            String run = p.provenance().run();
            if (!runReports.containsKey(run)) {
                RunReport.write(TrainConfig.child(input, run), conf);
                runReports.put(run, "../" + run + "/" + Html.DIR + "/" + Html.INDEX);
            }
        }
        String generatedBy = Html.generatedBy(Html.reportCommand(location), SweepFiles.SPEC + " and " + SweepFiles.ROWS);
        String html = SweepReportPage.html(location, sweep, stats, selected, figures, runReports, generatedBy);

        log.info("Sweep report of {} points, {} run reports", points.size(), runReports.size());
        return Html.publish(sweep.output(), figures, html);
    }

    /**
     * The sweep's figures, from each point's means over the seeds: the trade-off, then validation and test accuracy,
     * compression and each layer's sparsity per threshold.
     */
    static List<Html.Image> figures(List<SweepPoint> points, List<PointStats> stats, PointStats selected) {
        List<Double> weights = stats.stream().map(PointStats::klWeight).distinct().toList();
        List<Html.Image> out = new ArrayList<>();

        Charts.Line tradeoff = Charts.line("Validation accuracy vs compression", "compression: all weights / kept "
                + "weights (\u00d7, log scale)", "validation accuracy (%)").logX();
        for (double w : weights) {
            List<PointStats> run = run(stats, w);
            tradeoff.series("kl_weight " + SweepConfig.plain(w) + " (thresholds " + thresholds(run) + ")",
                    column(run, PointStats::compression), column(run, p -> 100 * p.valAccuracy()));
        }
        List<PointStats> front = SweepSelection.front(stats);
        tradeoff.series("Pareto front", column(front, PointStats::compression),
                column(front, p -> 100 * p.valAccuracy())).dashed();
        tradeoff.series("selected: kl_weight " + SweepConfig.plain(selected.klWeight()) + ", threshold "
                        + SweepConfig.plain(selected.threshold()), new double[] {selected.compression()},
                new double[] {100 * selected.valAccuracy()}).highlighted();
        out.add(image(TRADEOFF_FILE, "Validation accuracy vs compression",
                "Every (kl_weight, threshold) point, mean over the seeds: one line per KL weight, through its "
                        + "thresholds; the dashed line joins the Pareto front (no point is both more accurate on "
                        + "validation and more compressed), the ring marks the point the selection rule picks.",
                tradeoff));

        Charts.Line accuracy = Charts.line("Accuracy vs threshold", THRESHOLD, "accuracy (%)");
        for (double w : weights) {
            List<PointStats> run = run(stats, w);
            accuracy.series("kl_weight " + SweepConfig.plain(w) + ", validation", column(run,
                    PointStats::threshold), column(run, p -> 100 * p.valAccuracy()));
            accuracy.series("kl_weight " + SweepConfig.plain(w) + ", test", column(run, PointStats::threshold),
                    column(run, p -> 100 * p.testAccuracy())).dashed();
        }
        out.add(image("accuracy-threshold.png", "Accuracy vs threshold",
                "Validation (solid) and test (dashed) accuracy of each KL weight's models, masked at each threshold "
                        + "(no retraining), mean over the seeds.", accuracy));
        out.add(image("compression-threshold.png", "Compression vs threshold",
                "All weights / kept weights of each KL weight's models at each threshold, mean over the seeds; log "
                        + "scale.",
                perThreshold("Compression vs threshold", "compression (\u00d7, log scale)", stats, weights,
                        PointStats::compression, true)));
        for (LayerMetrics layer : points.get(0).layers()) {
            String name = layer.name();
            out.add(image("sparsity-" + name + ".png", "Sparsity of " + name + " vs threshold",
                    "Fraction of " + name + "'s " + Html.count(layer.weights())
                            + " weights pruned at each threshold, for each KL weight, mean over the seeds.",
                    perThreshold("Sparsity of layer " + name + " vs threshold", "weights pruned (%)", stats,
                            weights, p -> 100 * meanSparsity(points, p, name), false)));
        }
        return out;
    }

    /** The mean sparsity of layer {@code name} over the rows of point {@code p}. */
    private static double meanSparsity(List<SweepPoint> points, PointStats p, String name) {
        return points.stream().filter(r -> r.is(p.klWeight(), p.threshold()))
                .flatMap(r -> r.layers().stream().filter(l -> l.name().equals(name)))
                .mapToDouble(LayerMetrics::sparsity).average().orElse(Double.NaN);
    }

    private static Charts.Line perThreshold(String title, String yLabel, List<PointStats> stats,
                                            List<Double> weights, ToDoubleFunction<PointStats> y, boolean logY) {
        Charts.Line chart = Charts.line(title, THRESHOLD, yLabel);
        if (logY) {
            chart.logY();
        }
        for (double w : weights) {
            List<PointStats> run = run(stats, w);
            chart.series("kl_weight " + SweepConfig.plain(w), column(run, PointStats::threshold), column(run, y));
        }
        return chart;
    }

    /** The points of one KL weight, by threshold. */
    private static List<PointStats> run(List<PointStats> stats, double klWeight) {
        return stats.stream().filter(p -> Double.compare(p.klWeight(), klWeight) == 0)
                .sorted(java.util.Comparator.comparingDouble(PointStats::threshold)).toList();
    }

    private static String thresholds(List<PointStats> run) {
        List<String> t = run.stream().map(p -> SweepConfig.plain(p.threshold())).toList();
        return t.size() <= 2 ? String.join(", ", t) : t.get(0) + "\u2013" + t.get(t.size() - 1);
    }

    private static double[] column(List<PointStats> points, ToDoubleFunction<PointStats> f) {
        return points.stream().mapToDouble(f).toArray();
    }

    private static Html.Image image(String file, String title, String caption, Charts.Line chart) {
        return Html.Image.chart(file, title, caption, chart);
    }
}
