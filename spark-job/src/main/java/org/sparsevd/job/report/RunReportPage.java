package org.sparsevd.job.report;

import static org.sparsevd.job.report.Html.compression;
import static org.sparsevd.job.report.Html.count;
import static org.sparsevd.job.report.Html.esc;
import static org.sparsevd.job.report.Html.figure;
import static org.sparsevd.job.report.Html.page;
import static org.sparsevd.job.report.Html.pretty;
import static org.sparsevd.job.report.Html.row;
import static org.sparsevd.job.report.Html.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.output.RunReader;

/**
 * A run report's {@code index.html} ({@link Html#page}): the run's header (from {@code run.json}, whatever it
 * holds), the per-layer table of the last epoch, the training curves and the first-layer weights.
 */
final class RunReportPage {

    private RunReportPage() {
    }

    /**
     * The page.
     *
     * @param run           the run read
     * @param curves        the training-curve figures, in order
     * @param weights       the first-layer weights figure, or null if there is none
     * @param weightsNote   shown instead of the weights figure when there is none
     * @param generatedBy   the footer's sentence
     * @param refreshSeconds how often the page reloads itself while the run trains; 0 for never
     */
    static String html(RunReader.Run run, List<Html.Image> curves, Html.Image weights, String weightsNote, String generatedBy,
                       int refreshSeconds) {
        EpochMetrics last = run.last();
        JsonNode info = run.info();
        StringBuilder h = new StringBuilder(64 * 1024);

        h.append("<header>\n<h1>Sparse VD training report</h1>\n<p class=\"where\">").append(esc(run.location()))
                .append("</p>\n");
        // run.json is written when the run ends (runs before the status was recorded have none); while the run
        // trains, the live report's record says "training"
        boolean completed = info != null && !RunFiles.STATUS_TRAINING.equals(text(info, "status"));
        h.append(String.format(Locale.ROOT, "<p class=\"headline\">%s <b>%.2f%%</b>%s, compression <b>%s</b> (%s of "
                        + "%s weights kept)%s.</p>%n", esc(completed ? "Final test accuracy" : unfinished(run, refreshSeconds)),
                100 * last.testAccuracy(), last.valAccuracy() == null ? ""
                        : String.format(Locale.ROOT, " (validation <b>%.2f%%</b>)", 100 * last.valAccuracy()),
                compression(last.compression()), count(nonzero(last)),
                count(weights(last)), completed ? " after epoch " + last.epoch() : ""));
        if (refreshSeconds > 0) {
            h.append("<p class=\"note\">The run is training: this report is rewritten after every epoch and the "
                    + "page reloads itself every ").append(refreshSeconds).append(" s.</p>\n");
        }
        h.append("<table>\n");
        row(h, "model", text(info, "config", "model", "name"));
        row(h, "data", text(info, "config", "data", "train"));
        row(h, "test data", text(info, "config", "data", "test"));
        row(h, "epochs", epochs(run.epochs().size(), last.epoch(), text(info, "config", "schedule", "epochs")));
        row(h, "seed", text(info, "seed"));
        row(h, "training examples", count(last.trainExamples()));
        row(h, "validation examples", countText(text(info, "validation_examples")));
        row(h, "test examples", countText(text(info, "test_examples")));
        row(h, "threshold (log \u03b1)", text(info, "config", "model", "threshold"));
        row(h, "workers, global batch size", workers(info));
        row(h, "Spark master", text(info, "spark_master"));
        row(h, "status", text(info, "status"));
        row(h, "started", text(info, "started_at"));
        row(h, "finished", text(info, "finished_at"));
        h.append("</table>\n");
        if (info == null) {
            h.append("<p class=\"note\">This run has no run.json (is it still in progress?): its configuration and "
                    + "versions are unknown.</p>\n");
        } else {
            JsonNode versions = info.path("versions");
            if (versions.isObject() && versions.size() > 0) {
                h.append("<h3>Versions</h3>\n<table>\n");
                for (Iterator<Map.Entry<String, JsonNode>> it = versions.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    row(h, e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
                }
                h.append("</table>\n");
            }
            h.append("<details><summary>Full run.json</summary>\n<pre>").append(pretty(info))
                    .append("</pre>\n</details>\n");
        }
        h.append("</header>\n");

        h.append("<section>\n<h2>Layers after epoch ").append(last.epoch()).append("</h2>\n");
        layerTable(h, last);
        h.append("</section>\n");

        h.append("<section>\n<h2>Training curves</h2>\n");
        for (Html.Image img : curves) {
            figure(h, img, refreshSeconds == 0); // the PNG files are written with the final report
        }
        h.append("</section>\n");

        h.append("<section>\n<h2>First-layer weights</h2>\n");
        if (weights == null) {
            h.append("<p class=\"note\">").append(esc(weightsNote)).append("</p>\n");
        } else {
            figure(h, weights, refreshSeconds == 0);
        }
        h.append("</section>\n");

        return page("sparsevd report: " + Objects.requireNonNullElse(text(info, "config", "model", "name"), "run")
                + ", " + last.epoch() + " epochs", h, generatedBy, refreshSeconds);
    }

    /**
     * The headline's start for a run that has not completed (no run.json, or one that says "training"): "Test accuracy
     * after epoch k of N (running):" while it trains (the live report), "(not completed)" when read afterwards.
     */
    private static String unfinished(RunReader.Run run, int refreshSeconds) {
        String planned = text(run.info(), "config", "schedule", "epochs");
        return "Test accuracy after epoch " + run.last().epoch() + (planned == null ? "" : " of " + planned)
                + (refreshSeconds > 0 ? " (running):" : " (not completed):");
    }

    private static void layerTable(StringBuilder h, EpochMetrics m) {
        h.append("<table>\n<tr><th>layer</th><th class=\"n\">weights</th><th class=\"n\">non-zero</th>"
                + "<th class=\"n\">sparsity</th><th class=\"n\">compression</th><th class=\"n\">KL (nats)</th>"
                + "<th class=\"n\">mean log \u03b1</th></tr>\n");
        for (LayerMetrics l : m.layers()) {
            layerRow(h, "", esc(l.name()), l.weights(), l.nonzero(), l.sparsity(), l.kl(), l.meanLogAlpha());
        }
        long weights = weights(m);
        long nonzero = nonzero(m);
        layerRow(h, " class=\"total\"", "all", weights, nonzero, weights == 0 ? 0 : 1 - (double) nonzero / weights,
                m.kl(), null);
        h.append("</table>\n");
    }

    private static void layerRow(StringBuilder h, String attrs, String name, long weights, long nonzero,
                                 double sparsity, double kl, Double meanLogAlpha) {
        h.append(String.format(Locale.ROOT, "<tr%s><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                        + "<td class=\"n\">%.2f%%</td><td class=\"n\">%s</td><td class=\"n\">%.1f</td>"
                        + "<td class=\"n\">%s</td></tr>%n",
                attrs, name, count(weights), count(nonzero), 100 * sparsity,
                compression(nonzero == 0 ? Double.POSITIVE_INFINITY : (double) weights / nonzero), kl,
                meanLogAlpha == null ? "&ndash;" : String.format(Locale.ROOT, "%.2f", meanLogAlpha)));
    }

    private static String epochs(int records, int lastEpoch, String planned) {
        String s = String.valueOf(lastEpoch);
        if (planned != null && !planned.equals(s)) {
            s += " of " + planned + " planned";
        }
        return records == lastEpoch ? s : s + " (" + records + " records)";
    }

    private static String workers(JsonNode info) {
        String workers = text(info, "config", "cluster", "workers");
        String batch = text(info, "config", "cluster", "batch_size");
        return workers == null || batch == null ? null : workers + ", " + batch;
    }

    private static long weights(EpochMetrics m) {
        return m.layers().stream().mapToLong(LayerMetrics::weights).sum();
    }

    private static long nonzero(EpochMetrics m) {
        return m.layers().stream().mapToLong(LayerMetrics::nonzero).sum();
    }

    /** A whole number from JSON with digit grouping; anything else (or null) as it is. */
    private static String countText(String n) {
        return n != null && n.matches("\\d+") ? count(Long.parseLong(n)) : n;
    }
}
