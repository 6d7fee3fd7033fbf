package org.sparsevd.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.RunReader;

/**
 * Assembles a report's {@code index.html}: one self-contained file (images embedded as base64 data URIs, styles
 * inline) with the run's header (from {@code run.json}, whatever it holds), the per-layer table of the last
 * epoch, the figures, and a footer saying how it was generated.
 */
final class ReportWriter {

    /**
     * A figure of the report.
     *
     * @param file    its PNG file name beside index.html
     * @param title   its heading (and alt text)
     * @param caption what it shows
     * @param png     the PNG bytes
     * @param width   width in pixels
     * @param height  height in pixels
     */
    record Image(String file, String title, String caption, byte[] png, int width, int height) {
    }

    static final String STYLE = """
            body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 960px;
                   color: #222; background: #fff; line-height: 1.4; padding: 0 1em; }
            h1 { margin-bottom: 0.2em; }
            .where { color: #555; font-family: monospace; margin-top: 0; word-break: break-all; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.8em; text-align: left; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
            tr.total td { font-weight: bold; border-top: 2px solid #999; }
            .headline { font-size: 1.3em; margin: 0.5em 0 1em; }
            figure { margin: 1.5em 0; }
            figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { color: #444; font-size: 0.95em; }
            .note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.6em 1em; }
            pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
            footer { margin-top: 3em; color: #666; font-size: 0.9em; border-top: 1px solid #ddd; padding-top: 0.8em; }
            """;

    private ReportWriter() {
    }

    /**
     * The page.
     *
     * @param run           the run read
     * @param curves        the training-curve figures, in order
     * @param weights       the first-layer weights figure, or null if there is none
     * @param weightsNote   shown instead of the weights figure when there is none
     * @param generatedBy   the footer's sentence
     */
    static String html(RunReader.Run run, List<Image> curves, Image weights, String weightsNote, String generatedBy) {
        EpochMetrics last = run.last();
        JsonNode info = run.info();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>sparsevd report: ")
                .append(esc(Objects.requireNonNullElse(text(info, "config", "model", "name"), "run")))
                .append(", ").append(last.epoch()).append(" epochs</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");

        h.append("<header>\n<h1>Sparse VD training report</h1>\n<p class=\"where\">").append(esc(run.location()))
                .append("</p>\n");
        h.append(String.format(Locale.ROOT, "<p class=\"headline\">Final %stest accuracy <b>%.2f%%</b>, "
                        + "compression <b>%s</b> (%s of %s weights kept) after epoch %d.</p>%n",
                last.valAccuracy() == null ? "" : String.format(Locale.ROOT, "validation accuracy <b>%.2f%%</b>, ",
                        100 * last.valAccuracy()),
                100 * last.testAccuracy(), compression(last.compression()), count(nonzero(last)),
                count(weights(last)), last.epoch()));
        h.append("<table>\n");
        row(h, "model", text(info, "config", "model", "name"));
        row(h, "data", text(info, "config", "data", "train"));
        row(h, "test data", text(info, "config", "data", "test"));
        row(h, "epochs", epochs(run.epochs().size(), last.epoch(), text(info, "config", "schedule", "epochs")));
        row(h, "seed", text(info, "seed"));
        row(h, "training examples", count(last.trainExamples()));
        row(h, "validation examples", count(text(info, "validation_examples")));
        row(h, "test examples", count(text(info, "test_examples")));
        row(h, "threshold (log \u03b1)", text(info, "config", "model", "threshold"));
        row(h, "workers \u00d7 batch size", workers(info));
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
            h.append("<details><summary>Full run.json</summary>\n<pre>").append(esc(pretty(info)))
                    .append("</pre>\n</details>\n");
        }
        h.append("</header>\n");

        h.append("<section>\n<h2>Layers after epoch ").append(last.epoch()).append("</h2>\n");
        layerTable(h, last);
        h.append("</section>\n");

        h.append("<section>\n<h2>Training curves</h2>\n");
        for (Image img : curves) {
            figure(h, img);
        }
        h.append("</section>\n");

        h.append("<section>\n<h2>First-layer weights</h2>\n");
        if (weights == null) {
            h.append("<p class=\"note\">").append(esc(weightsNote)).append("</p>\n");
        } else {
            figure(h, weights);
        }
        h.append("</section>\n");

        h.append("<footer>").append(esc(generatedBy)).append("</footer>\n</body>\n</html>\n");
        return h.toString();
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

    static void figure(StringBuilder h, Image img) {
        h.append("<figure id=\"").append(esc(img.file())).append("\">\n<h3>").append(esc(img.title()))
                .append("</h3>\n<img src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(img.png()))
                .append("\" alt=\"").append(esc(img.title())).append("\" width=\"").append(img.width())
                .append("\" height=\"").append(img.height()).append("\">\n<figcaption>").append(esc(img.caption()))
                .append(" (<a href=\"").append(esc(img.file())).append("\">").append(esc(img.file()))
                .append("</a>)</figcaption>\n</figure>\n");
    }

    static void row(StringBuilder h, String key, String value) {
        if (value != null && !value.isEmpty()) {
            h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
        }
    }

    /** The text at {@code path} in {@code node}, or null if there is no node or the value is absent or null. */
    static String text(JsonNode node, String... path) {
        if (node == null) {
            return null;
        }
        JsonNode n = node;
        for (String key : path) {
            n = n.path(key);
        }
        return n.isMissingNode() || n.isNull() ? null : n.asText();
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
        return workers == null || batch == null ? null : workers + " \u00d7 " + batch;
    }

    private static long weights(EpochMetrics m) {
        return m.layers().stream().mapToLong(LayerMetrics::weights).sum();
    }

    private static long nonzero(EpochMetrics m) {
        return m.layers().stream().mapToLong(LayerMetrics::nonzero).sum();
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A whole number from JSON with digit grouping; anything else (or null) as it is. */
    private static String count(String n) {
        return n != null && n.matches("\\d+") ? count(Long.parseLong(n)) : n;
    }

    static String compression(double c) {
        return Double.isInfinite(c) ? "\u221e (nothing kept)" : String.format(Locale.ROOT, "%.2f\u00d7", c);
    }

    static String pretty(JsonNode node) {
        return Json.pretty(node).stripTrailing();
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
