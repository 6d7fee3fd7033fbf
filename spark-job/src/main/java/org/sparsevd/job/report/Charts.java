package org.sparsevd.job.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Line charts for reports, drawn headless with JFreeChart in one house style: white background, light grid,
 * large fonts, the Tableau 10 palette (no yellow on white), a legend only when there is more than one series, and
 * {@link #WIDTH}×{@link #HEIGHT} PNGs. Build one with {@link #line}, add series, then {@link Line#png()}.
 */
public final class Charts {
    static {
        headless();
    }

    /** AWT without a display, set before AWT loads: every report image is drawn off-screen. */
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;

    /** Series with at most this many points are drawn with a marker at every point (epochs), longer ones without. */
    private static final int MAX_POINTS_WITH_SHAPES = 60;
    private static final String FONT = Font.SANS_SERIF;
    /** Tableau 10: distinguishable, and without yellow-on-white. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Charts() {
    }

    /** A new line chart with the given title and axis labels (labels should carry their units). */
    public static Line line(String title, String xLabel, String yLabel) {
        return new Line(title, xLabel, yLabel);
    }

    /** A line chart under construction. */
    public static final class Line {
        private final String title;
        private final String xLabel;
        private final String yLabel;
        private final XYSeriesCollection data = new XYSeriesCollection();
        /** Series on the right-hand axis, drawn dashed; null until {@link #rightAxis}. */
        private XYSeriesCollection right;
        private String rightLabel;
        private final List<ValueMarker> markers = new ArrayList<>();
        private final Set<Integer> dashed = new HashSet<>();
        private final Set<Integer> highlighted = new HashSet<>();
        private boolean logX;
        private boolean logY;
        private boolean integerX;

        private Line(String title, String xLabel, String yLabel) {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        /**
         * Adds a series; points whose x or y is not finite (or, on a log axis, not positive) are left out, since
         * they cannot be drawn.
         */
        public Line series(String name, double[] x, double[] y) {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length
                        + " y values");
            }
            XYSeries s = new XYSeries(name, false, true);
            boolean onLeft = right == null;
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logX || x[i] > 0)
                        && (!logY || !onLeft || y[i] > 0)) {
                    s.add(x[i], y[i]);
                }
            }
            (onLeft ? data : right).addSeries(s);
            return this;
        }

        /**
         * A linear right-hand axis labelled {@code label}: the series added after this call are drawn against it,
         * dashed (e.g. the schedules next to the objective they shape).
         */
        public Line rightAxis(String label) {
            this.right = new XYSeriesCollection();
            this.rightLabel = label;
            return this;
        }

        /** Draws the series added last dashed (so that it stays visible on top of an identical one). */
        public Line dashed() {
            dashed.add(data.getSeriesCount() - 1);
            return this;
        }

        /** Draws the series added last as large open rings without a line (a point to point out). */
        public Line highlighted() {
            highlighted.add(data.getSeriesCount() - 1);
            return this;
        }

        /** A logarithmic x axis (call before adding series). */
        public Line logX() {
            this.logX = true;
            return this;
        }

        /** A logarithmic y axis (call before adding series). */
        public Line logY() {
            this.logY = true;
            return this;
        }

        /** Integer ticks on the x axis (epochs). */
        public Line integerX() {
            this.integerX = true;
            return this;
        }

        /** A dashed horizontal reference line at {@code y} with a label. */
        public Line marker(double y, String label) {
            ValueMarker m = new ValueMarker(y, Color.DARK_GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            m.setLabel(label);
            m.setLabelFont(new Font(FONT, Font.PLAIN, 13));
            m.setLabelPaint(Color.DARK_GRAY);
            m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            m.setLabelOffset(new RectangleInsets(2, 6, 2, 6));
            markers.add(m);
            return this;
        }

        /** The chart. */
        public JFreeChart chart() {
            ValueAxis xAxis = axis(xLabel, logX, range(false), x -> {
                if (integerX) {
                    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                }
            });
            Range yRange = range(true);
            ValueAxis yAxis = axis(yLabel, logY, yRange, y -> {
                if (!markers.isEmpty() && yRange != null) { // auto-range ignores markers: show them
                    y.setRange(Range.expand(yRange, 0.05, 0.05));
                }
            });

            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            renderer.setDrawSeriesLineAsPath(true); // one path per series, so dashes survive many short segments
            for (int i = 0; i < data.getSeriesCount(); i++) {
                renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
                renderer.setSeriesStroke(i, dashed.contains(i) ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f) : new BasicStroke(2.2f));
                renderer.setSeriesShapesVisible(i, data.getSeries(i).getItemCount() <= MAX_POINTS_WITH_SHAPES);
                if (highlighted.contains(i)) {
                    renderer.setSeriesLinesVisible(i, false);
                    renderer.setSeriesShapesVisible(i, true);
                    renderer.setSeriesShapesFilled(i, false);
                    renderer.setSeriesShape(i, new Ellipse2D.Double(-9, -9, 18, 18));
                    renderer.setSeriesStroke(i, new BasicStroke(3f));
                }
            }
            XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
            plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // later series on top
            markers.forEach(plot::addRangeMarker);
            int rightSeries = right == null ? 0 : right.getSeriesCount();
            if (rightSeries > 0) {
                NumberAxis axis = new NumberAxis(rightLabel);
                axis.setAutoRangeIncludesZero(true);
                style(axis);
                XYLineAndShapeRenderer dashedLines = new XYLineAndShapeRenderer(true, false);
                dashedLines.setDrawSeriesLineAsPath(true);
                for (int i = 0; i < rightSeries; i++) {
                    dashedLines.setSeriesPaint(i, PALETTE[(data.getSeriesCount() + i) % PALETTE.length]);
                    dashedLines.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
                            10f, new float[] {7f, 5f}, 0f));
                }
                plot.setRangeAxis(1, axis);
                plot.setDataset(1, right);
                plot.setRenderer(1, dashedLines);
                plot.mapDatasetToRangeAxis(1, 1);
            }

            return styled(plot, title, data.getSeriesCount() + rightSeries > 1);
        }

        /**
         * An axis over {@code range} (null: automatic): logarithmic with the range padded, or linear, not forced to
         * include zero, then adjusted by {@code linear}.
         */
        private static ValueAxis axis(String label, boolean log, Range range, Consumer<NumberAxis> linear) {
            if (log) {
                ValueAxis axis = new NiceLogAxis(label);
                if (range != null) {
                    axis.setRange(logPadded(range));
                }
                return axis;
            }
            NumberAxis axis = new NumberAxis(label);
            axis.setAutoRangeIncludesZero(false);
            linear.accept(axis);
            return axis;
        }

        /** The range of all drawn y (or x) values on the left axis and, for y, markers; null if there are none. */
        private Range range(boolean y) {
            Range r = null;
            for (int i = 0; i < data.getSeriesCount(); i++) {
                XYSeries s = data.getSeries(i);
                if (s.getItemCount() > 0) {
                    r = Range.combine(r, y ? new Range(s.getMinY(), s.getMaxY()) : new Range(s.getMinX(), s.getMaxX()));
                }
            }
            if (y) {
                for (ValueMarker m : markers) {
                    r = Range.expandToInclude(r, m.getValue());
                }
            }
            return r;
        }

        /** The chart as a {@link #WIDTH}×{@link #HEIGHT} PNG. */
        public byte[] png() {
            return Png.encode(chart().createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, null));
        }
    }

    /** An axis in the house style. */
    static void style(ValueAxis axis) {
        axis.setLabelFont(new Font(FONT, Font.PLAIN, 16));
        axis.setTickLabelFont(new Font(FONT, Font.PLAIN, 14));
        axis.setLabelPaint(Color.BLACK);
        axis.setTickLabelPaint(Color.BLACK);
    }

    /** A chart of {@code plot} in the house style (its axes styled too), with a legend below if asked. */
    static JFreeChart styled(XYPlot plot, String title, boolean legend) {
        style(plot.getDomainAxis());
        style(plot.getRangeAxis());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xd9d9d9));
        plot.setRangeGridlinePaint(new Color(0xd9d9d9));
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(Color.GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(title, new Font(FONT, Font.BOLD, 20), plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        LegendTitle legendTitle = chart.getLegend();
        if (legendTitle != null) {
            legendTitle.setItemFont(new Font(FONT, Font.PLAIN, 14));
            legendTitle.setBackgroundPaint(Color.WHITE);
            legendTitle.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    /** {@code r} widened by 5% on each side in log space, and to at least a factor 1.5 overall. */
    static Range logPadded(Range r) {
        double lo = Math.log10(r.getLowerBound());
        double hi = Math.log10(r.getUpperBound());
        double minSpan = Math.log10(1.5);
        if (hi - lo < minSpan) {
            double mid = (lo + hi) / 2;
            lo = mid - minSpan / 2;
            hi = mid + minSpan / 2;
        }
        double pad = 0.05 * (hi - lo);
        return new Range(Math.pow(10, lo - pad), Math.pow(10, hi + pad));
    }

    /**
     * A logarithmic axis labelled at round values: powers of ten over wide ranges, 1-2-5 steps or every digit
     * over narrower ones, finer steps within a single decade, whichever is the coarsest giving at least four
     * labels. (JFreeChart's own log axes label only powers of ten or exponent steps, which leaves a range such
     * as 1.0-3.0 with one label.)
     */
    static final class NiceLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;
        private static final double[][] MANTISSAS = {
            {1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9},
            {1, 1.2, 1.4, 1.6, 1.8, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9},
            {1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2, 2.2, 2.4, 2.6, 2.8, 3, 3.2, 3.4, 3.6, 3.8, 4, 4.5, 5,
                5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5}};
        private static final int MIN_LABELS = 4;

        NiceLogAxis(String label) {
            super(label);
            setNumberFormatOverride(new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            setMinorTickMarksVisible(false);
        }

        @Override
        protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            return roundTicks(edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT);
        }

        @Override
        protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            return roundTicks(edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
        }

        private List<NumberTick> roundTicks(TextAnchor anchor) {
            List<NumberTick> ticks = List.of();
            for (double[] mantissas : MANTISSAS) {
                ticks = ticks(mantissas, anchor);
                if (ticks.size() >= MIN_LABELS) {
                    break;
                }
            }
            return ticks;
        }

        private List<NumberTick> ticks(double[] mantissas, TextAnchor anchor) {
            Range r = getRange();
            List<NumberTick> ticks = new ArrayList<>();
            for (int e = (int) Math.floor(Math.log10(r.getLowerBound())); e <= Math.ceil(Math.log10(r.getUpperBound()));
                    e++) {
                for (double m : mantissas) {
                    double v = m * Math.pow(10, e);
                    if (r.contains(v)) {
                        ticks.add(new NumberTick(TickType.MAJOR, v, getNumberFormatOverride().format(v), anchor,
                                anchor, 0.0));
                    }
                }
            }
            return ticks;
        }
    }
}
