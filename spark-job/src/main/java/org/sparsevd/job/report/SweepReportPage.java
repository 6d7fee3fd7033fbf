package org.sparsevd.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.PointStats;
import org.sparsevd.job.output.SweepFiles;
import org.sparsevd.job.output.SweepRecord;
import org.sparsevd.job.metrics.SweepPoint;
import org.sparsevd.job.metrics.SweepSelection;

/**
 * A sweep report's {@code index.html} ({@link Html#page}): the selected point and the rule, the figures, the table
 * of every point (mean &plusmn; standard deviation over the seeds), the table of every row, links to the runs'
 * reports, and the spec.
 */
final class SweepReportPage {
    private SweepReportPage() {
    }

    static String html(String location, SweepRecord sweep, List<PointStats> stats, PointStats selected,
                       List<Html.Image> figures, Map<String, String> runReports, String generatedBy) {
        List<SweepPoint> points = sweep.points();
        JsonNode spec = sweep.record().path("spec");
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<header>\n<h1>Sparse VD sweep report</h1>\n<p class=\"where\">")
                .append(Html.esc(location)).append("</p>\n");
        h.append(String.format(Locale.ROOT, "<p class=\"headline\">Selected on validation accuracy: <b>kl_weight %s, "
                        + "threshold %s</b>: validation accuracy <b>%s</b>, test accuracy <b>%s</b>, compression "
                        + "<b>%s</b> (mean%s over %d seed(s); best mean validation accuracy of the sweep %.2f%%).</p>%n",
                SweepConfig.plain(selected.klWeight()), SweepConfig.plain(selected.threshold()),
                percent(selected.valAccuracy(), selected.valAccuracyStd()),
                percent(selected.testAccuracy(), selected.testAccuracyStd()),
                Html.compression(selected.compression()), selected.seeds().size() > 1 ? " \u00b1 standard "
                        + "deviation" : "", selected.seeds().size(), 100 * SweepSelection.bestAccuracy(stats)));
        h.append("<table>\n");
        Html.row(h, "selection rule", SweepSelection.rule(sweep.maxAccuracyDrop()));
        Html.row(h, "rows", points.size() + " of " + sweep.rowsTotal()
                + (points.size() == sweep.rowsTotal() ? "" : " (the sweep is not finished)"));
        Html.row(h, "model", Html.text(spec, "train", "model", "name"));
        Html.row(h, "data", Html.text(spec, "train", "data", "train"));
        Html.row(h, "epochs per run", Html.text(spec, "train", "schedule", "epochs"));
        Html.row(h, "training examples", Html.count(points.get(0).provenance().trainExamples()));
        Html.row(h, "seeds", spec.path("seeds").toString());
        Html.row(h, "validation", Html.text(spec, "train", "data", "validation")
                + " held out of the training set (count, or fraction), stratified by class, per seed");
        Html.row(h, "started", Html.text(sweep.record(), "started_at"));
        h.append("</table>\n</header>\n");

        h.append("<section>\n<h2>Figures</h2>\n");
        for (Html.Image img : figures) {
            Html.figure(h, img);
        }
        h.append("</section>\n");

        h.append("<section>\n<h2>All points</h2>\n<p>Mean \u00b1 sample standard deviation over the seeds. The "
                + "selection and the Pareto front use validation accuracy only, and only points none of whose runs "
                + "was stopped early.</p>\n<table>\n<tr>"
                + "<th class=\"n\">kl_weight</th><th class=\"n\">threshold</th><th class=\"n\">seeds</th>"
                + "<th class=\"n\">validation accuracy</th><th class=\"n\">test accuracy</th>"
                + "<th class=\"n\">compression</th><th>Pareto</th></tr>\n");
        for (PointStats p : stats) {
            boolean chosen = p.is(selected.klWeight(), selected.threshold());
            h.append(chosen ? "<tr class=\"total\">" : "<tr>")
                    .append(String.format(Locale.ROOT, "<td class=\"n\">%s</td><td class=\"n\">%s</td>"
                                    + "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                                    + "<td class=\"n\">%s</td>", SweepConfig.plain(p.klWeight()),
                            SweepConfig.plain(p.threshold()), p.seeds().size()
                                    + (p.pruned() == 0 ? "" : " (" + p.pruned() + " pruned: not a candidate)"),
                            percent(p.valAccuracy(), p.valAccuracyStd()),
                            percent(p.testAccuracy(), p.testAccuracyStd()),
                            Html.compression(p.compression())))
                    .append("<td>").append(SweepSelection.onFront(p, stats) ? "\u2713" : "")
                    .append(chosen ? " selected" : "").append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");

        h.append("<section>\n<h2>All rows</h2>\n<p>Thresholds need no retraining: each model is trained once per "
                + "kl_weight and seed and evaluated under every threshold.</p>\n<table>\n<tr>"
                + "<th class=\"n\">kl_weight</th><th class=\"n\">threshold</th><th class=\"n\">seed</th>"
                + "<th class=\"n\">validation accuracy</th><th class=\"n\">test accuracy</th>"
                + "<th class=\"n\">compression</th><th class=\"n\">kept weights</th>");
        for (LayerMetrics l : points.get(0).layers()) {
            h.append("<th class=\"n\">").append(Html.esc(l.name())).append(" sparsity</th>");
        }
        h.append("<th>run</th></tr>\n");
        for (SweepPoint p : points) {
            boolean chosen = p.is(selected.klWeight(), selected.threshold());
            h.append(chosen ? "<tr class=\"total\">" : "<tr>")
                    .append(String.format(Locale.ROOT, "<td class=\"n\">%s</td><td class=\"n\">%s</td>"
                                    + "<td class=\"n\">%d</td><td class=\"n\">%.2f%%</td><td class=\"n\">%.2f%%</td>"
                                    + "<td class=\"n\">%s</td><td class=\"n\">%s</td>",
                            SweepConfig.plain(p.klWeight()), SweepConfig.plain(p.threshold()), p.provenance().seed(),
                            100 * p.valAccuracy(), 100 * p.testAccuracy(), Html.compression(p.compression()),
                            Html.count(p.nonzero())));
            for (LayerMetrics l : p.layers()) {
                h.append(String.format(Locale.ROOT, "<td class=\"n\">%.1f%%</td>", 100 * l.sparsity()));
            }
            String run = p.provenance().run();
            h.append("<td><a href=\"")
                    .append(Html.esc(runReports.getOrDefault(run, "../" + run))).append("\">")
                    .append(Html.esc(run)).append("</a>")
                    .append(p.prunedAtEpoch() == null ? "" : " pruned at epoch " + p.prunedAtEpoch())
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");

        h.append("<section>\n<h2>Training runs</h2>\n<ul>\n");
        for (Map.Entry<String, String> run : runReports.entrySet()) {
            h.append("<li><a href=\"").append(Html.esc(run.getValue())).append("\">")
                    .append(Html.esc(run.getKey())).append("</a>: training curves, per-layer table, "
                            + "first-layer weights</li>\n");
        }
        h.append("</ul>\n<details><summary>Spec (").append(SweepFiles.SPEC).append(")</summary>\n<pre>")
                .append(Html.pretty(sweep.record())).append("</pre>\n</details>\n")
                .append("</section>\n");
        return Html.page("sparsevd sweep report: " + points.size() + " points", h, generatedBy);
    }

    /** An accuracy in percent with its standard deviation over the seeds, if there is one. */
    private static String percent(double mean, Double std) {
        return std == null ? String.format(Locale.ROOT, "%.2f%%", 100 * mean)
                : String.format(Locale.ROOT, "%.2f \u00b1 %.2f%%", 100 * mean, 100 * std);
    }
}
