package org.sparsevd.job.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.LogAlphaHistogram;

/**
 * Small multiples of the log α distribution recorded per layer and epoch ({@link LogAlphaHistogram}): one row per
 * Sparse VD layer, on the left the histogram after the last epoch, on the right its quantiles over the epochs, the
 * pruning threshold marked on both. Sparse VD's tell-tale shape is two modes, kept weights at low log α and pruned
 * ones piled up at the upper clip, the threshold between them.
 */
final class LogAlphaFigure {
    static final String FILE = "log-alpha.png";
    static final int ROW_HEIGHT = 320;
    private static final double[] QUANTILES = {0.05, 0.25, 0.5, 0.75, 0.95};
    private static final Color THRESHOLD_COLOR = new Color(0xd62728);

    private LogAlphaFigure() {
    }

    /**
     * The figure, or null if no layer of the last epoch has a histogram (plain networks, or metrics written before
     * histograms were recorded).
     *
     * @param threshold the run's pruning threshold, or null if unknown (then nothing is marked)
     */
    static Html.Image draw(List<EpochMetrics> epochs, Double threshold) {
        List<String> layers = new ArrayList<>();
        for (LayerMetrics l : epochs.get(epochs.size() - 1).layers()) {
            if (l.logAlphaHistogram() != null) {
                layers.add(l.name());
            }
        }
        if (layers.isEmpty()) {
            return null;
        }
        int half = Charts.WIDTH / 2;
        BufferedImage img = new BufferedImage(Charts.WIDTH, ROW_HEIGHT * layers.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int row = 0; row < layers.size(); row++) {
            String layer = layers.get(row);
            int y = row * ROW_HEIGHT;
            histogram(layer, epochs.get(epochs.size() - 1), threshold)
                    .draw(g, new Rectangle2D.Double(0, y, half, ROW_HEIGHT));
            quantiles(layer, epochs, threshold).chart().draw(g, new Rectangle2D.Double(half, y, half, ROW_HEIGHT));
        }
        g.dispose();
        String t = threshold == null ? "" : String.format(Locale.ROOT, " The dashed line is the threshold t = %s: "
                + "weights with log \u03b1 \u2265 t are pruned.", SweepConfig.plain(threshold));
        return new Html.Image(FILE, "Distribution of log \u03b1 per layer",
                "Left: the share of each layer's weights in each log \u03b1 bin after epoch "
                        + epochs.get(epochs.size() - 1).epoch() + " (log scale; the weights clipped to the upper "
                        + "bound pile up in the last bin). Right: the 5/25/50/75/95% quantiles of log \u03b1 after "
                        + "each epoch (interpolated within the " + LogAlphaHistogram.BINS + " bins of "
                        + "metrics.jsonl)." + t, Png.encode(img), img.getWidth(), img.getHeight());
    }

    /** The layer's histogram after {@code last}, in percent of its weights on a log axis. */
    private static JFreeChart histogram(String layer, EpochMetrics last, Double threshold) {
        LogAlphaHistogram h = histogram(last, layer);
        XYSeries bins = new XYSeries("weights", false, true);
        double total = h.total();
        double smallest = 100;
        for (int i = 0; i < h.counts().length; i++) {
            if (h.counts()[i] > 0) {
                double percent = 100 * h.counts()[i] / total;
                bins.add((h.edge(i) + h.edge(i + 1)) / 2, percent);
                smallest = Math.min(smallest, percent);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection(bins);
        data.setIntervalWidth(h.edge(1) - h.edge(0));
        NumberAxis x = new NumberAxis("log \u03b1");
        x.setRange(h.min(), h.max());
        Charts.NiceLogAxis y = new Charts.NiceLogAxis("weights (%, log scale)");
        double base = smallest / 2;
        y.setRange(new Range(base, 150));
        XYBarRenderer bars = new XYBarRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setBase(base);
        bars.setSeriesPaint(0, new Color(0x1f77b4));
        bars.setDrawBarOutline(true);
        bars.setSeriesOutlinePaint(0, Color.WHITE);
        XYPlot plot = new XYPlot(data, x, y, bars);
        if (threshold != null) {
            plot.addDomainMarker(thresholdMarker(threshold));
        }
        return Charts.styled(plot, layer + ": log \u03b1 after epoch " + last.epoch(), false);
    }

    /** The layer's log α quantiles over the epochs. */
    private static Charts.Line quantiles(String layer, List<EpochMetrics> epochs, Double threshold) {
        Charts.Line chart = Charts.line(layer + ": log \u03b1 quantiles", "epoch", "log \u03b1").integerX();
        double[] x = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        for (int q = QUANTILES.length - 1; q >= 0; q--) {
            double quantile = QUANTILES[q];
            chart.series(String.format(Locale.ROOT, "%.0f%%", 100 * quantile), x, epochs.stream()
                    .mapToDouble(m -> {
                        LogAlphaHistogram h = histogram(m, layer);
                        return h == null ? Double.NaN : h.quantile(quantile);
                    }).toArray());
        }
        if (threshold != null) {
            chart.marker(threshold, "t = " + SweepConfig.plain(threshold));
        }
        return chart;
    }

    private static ValueMarker thresholdMarker(double threshold) {
        ValueMarker m = new ValueMarker(threshold, THRESHOLD_COLOR, new BasicStroke(2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        m.setLabel("t = " + SweepConfig.plain(threshold));
        m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        m.setLabelPaint(THRESHOLD_COLOR);
        m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        m.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
        return m;
    }

    /** The layer's histogram in epoch {@code m}, or null if it has none. */
    private static LogAlphaHistogram histogram(EpochMetrics m, String layer) {
        return m.layers().stream().filter(l -> l.name().equals(layer)).map(LayerMetrics::logAlphaHistogram)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }
}
