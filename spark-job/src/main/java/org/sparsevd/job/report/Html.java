package org.sparsevd.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.RunOutput;

/**
 * What the run and the sweep reports share: the self-contained page (styles inline, images embedded as base64
 * data URIs) with its footer, figures, table rows, number formats, and publishing the report directory whole.
 */
final class Html {
    /** The directory a report is written to, inside the output it reports on. */
    static final String DIR = "report";
    /** The page of a report, in {@link #DIR}. */
    static final String INDEX = "index.html";

    private static final String STYLE = """
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

    private Html() {
    }

    /**
     * A figure of a report.
     *
     * @param file    its PNG file name beside index.html
     * @param title   its heading (and alt text)
     * @param caption what it shows
     * @param png     the PNG bytes
     * @param width   width in pixels
     * @param height  height in pixels
     */
    record Image(String file, String title, String caption, byte[] png, int width, int height) {
        /** A chart drawn at the charts' size. */
        static Image chart(String file, String title, String caption, Charts.Line chart) {
            return new Image(file, title, caption, chart.png(), Charts.WIDTH, Charts.HEIGHT);
        }
    }

    /** The whole page: {@code title} in the head, {@code body} (HTML), and the footer {@code generatedBy}. */
    static String page(String title, CharSequence body, String generatedBy) {
        return page(title, body, generatedBy, 0);
    }

    /** As {@link #page(String, CharSequence, String)}, reloading itself every {@code refreshSeconds} (0: never). */
    static String page(String title, CharSequence body, String generatedBy, int refreshSeconds) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + (refreshSeconds > 0 ? "<meta http-equiv=\"refresh\" content=\"" + refreshSeconds + "\">\n" : "")
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + esc(title) + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n"
                + body + "<footer>" + esc(generatedBy) + "</footer>\n</body>\n</html>\n";
    }

    /** The command that writes a report of {@code location} after the fact. */
    static String reportCommand(String location) {
        return "'sparsevd report --input " + location + "'";
    }

    /** The footer's sentence: when, by which command ({@code by}) and version, from which files. */
    static String generatedBy(String by, String sources) {
        String version = Html.class.getPackage().getImplementationVersion();
        return "Generated at " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + " by " + by + " (sparsevd "
                + (version == null ? "development build" : version) + ") from " + sources
                + "; charts drawn with JFreeChart.";
    }

    /**
     * Writes the report directory of {@code output} whole (the figures' PNGs and {@code html} as index.html),
     * replacing an earlier report; returns the location of its index.html.
     */
    static Path publish(RunOutput output, List<Image> figures, String html) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Image img : figures) {
            files.put(img.file(), img.png());
        }
        files.put(INDEX, html.getBytes(StandardCharsets.UTF_8));
        return new Path(output.writeDirectory(DIR, files, "the report"), INDEX);
    }

    /** {@code img} embedded, its caption linking to its PNG file beside the page. */
    static void figure(StringBuilder h, Image img) {
        figure(h, img, true);
    }

    /** {@code img} embedded; {@code linkFile}: its caption links to its PNG file beside the page. */
    static void figure(StringBuilder h, Image img, boolean linkFile) {
        h.append("<figure id=\"").append(esc(img.file())).append("\">\n<h3>").append(esc(img.title()))
                .append("</h3>\n<img src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(img.png()))
                .append("\" alt=\"").append(esc(img.title())).append("\" width=\"").append(img.width())
                .append("\" height=\"").append(img.height()).append("\">\n<figcaption>").append(esc(img.caption()));
        if (linkFile) {
            h.append(" (<a href=\"").append(esc(img.file())).append("\">").append(esc(img.file())).append("</a>)");
        }
        h.append("</figcaption>\n</figure>\n");
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

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String compression(double c) {
        return Double.isInfinite(c) ? "\u221e (nothing kept)" : String.format(Locale.ROOT, "%.2f\u00d7", c);
    }

    /** {@code node} as indented JSON, escaped for a {@code <pre>}. */
    static String pretty(JsonNode node) {
        return esc(Json.pretty(node).stripTrailing());
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
