package org.sparsevd.job.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.kl.LogAlpha;
import org.sparsevd.core.layers.SparseVdConvolutionLayer;
import org.sparsevd.core.layers.SparseVdDenseLayer;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.spec.SparseVdParamInitializer;

/**
 * The picture of a network's first-layer weights after masking, as in Figure 2b of the Sparse VD review
 * (Molchanov, Ashukha, Vetrov, ICML 2017, "Variational Dropout Sparsifies Deep Neural Networks"): for each of the
 * first {@value #MAX_UNITS} hidden units, its incoming weights as a side×side tile (28×28 for MNIST-sized inputs),
 * in a grid of tiles; for a convolutional first layer, each of the first {@value #MAX_UNITS} filters as a tile of
 * its kernel taps, input channels side by side. Kept weights are coloured by sign and magnitude (blue negative, red positive, light grey
 * near zero); pruned weights — clip(logα) ≥ the layer's threshold, the inference mask of core's {@link LogAlpha}
 * with the layer's own clip range and threshold — are pure white, a colour no kept weight gets.
 */
public final class WeightImage {
    static {
        Charts.headless();
    }

    /** At most this many hidden units or filters (tiles) are shown. */
    public static final int MAX_UNITS = 100;
    /** Each weight is a square of this many pixels on a side (at least: small kernels get larger squares). */
    public static final int PIXELS_PER_WEIGHT = 3;
    /** A convolution filter's tile is at least about this many pixels high. */
    private static final int MIN_TILE_PIXELS = 48;
    /** Pixels between tiles. */
    public static final int GAP = 2;
    /** The colour of pruned weights, and only of them. */
    public static final int PRUNED_RGB = 0xFFFFFF;

    private static final int GAP_RGB = 0x505050;
    /** Quantile of |kept weights| mapped to the ends of the colour scale (larger ones are clipped to it). */
    private static final double SCALE_QUANTILE = 0.99;
    /** A diverging map from −1 to 1 at equal steps; its middle is grey, not white, so kept ≠ pruned. */
    private static final int[][] DIVERGING = {
        {33, 102, 172}, {103, 169, 207}, {210, 210, 210}, {239, 138, 98}, {178, 24, 43}};
    static final int MARGIN = 20;
    static final int TITLE_HEIGHT = 44;
    private static final int KEY_HEIGHT = 76;
    /** The width the colour key needs. */
    private static final int MIN_KEY_WIDTH = 720;

    private WeightImage() {
    }

    /**
     * The figure for a network, or the reason there is none.
     *
     * @param image   the whole figure (title, tile grid, colour key); null if not drawn
     * @param tiles   the tile grid alone; null if not drawn
     * @param caption what the figure shows, or why it was not drawn
     */
    public record Figure(BufferedImage image, BufferedImage tiles, String caption) {
        public boolean drawn() {
            return image != null;
        }
    }

    /**
     * The figure of {@code net}'s first layer: a Sparse VD dense layer whose number of inputs is a perfect square
     * (784 = 28×28 for LeNet-300-100), one tile of incoming weights per hidden unit; or a Sparse VD convolution, one
     * tile per filter with its input channels side by side. Otherwise a figure with only the reason in its caption.
     */
    public static Figure firstLayer(MultiLayerNetwork net) {
        Layer first = net.getLayer(0);
        org.deeplearning4j.nn.conf.layers.Layer conf = first.conf().getLayer();
        String name = conf.getLayerName() != null ? conf.getLayerName() : "layer0";
        if (conf instanceof SparseVdConvolutionLayer conv) {
            return convolution(first, conv, name);
        }
        if (!(conf instanceof SparseVdDenseLayer dense)) {
            return new Figure(null, null, "The first layer (" + name + ", " + conf.getClass().getSimpleName()
                    + ") is not a Sparse VD layer, so its weights are not drawn.");
        }
        long nIn = dense.getNIn();
        int side = (int) Math.round(Math.sqrt(nIn));
        if ((long) side * side != nIn) {
            return new Figure(null, null, "The first layer (" + name + ") has " + nIn
                    + " inputs, not a perfect square, so its weights cannot be drawn as square images.");
        }
        int units = (int) Math.min(MAX_UNITS, dense.getNOut());
        int nOut = (int) dense.getNOut();
        double[] w = rowMajor(first.getParam(SparseVdParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE));
        double[] keep = rowMajor(keepMask(first, dense));
        // unit u's weights W[i][u], i = row·side + column (row-major like the input images), as a 1×side×side filter
        double[][][][] weights = new double[units][1][side][side];
        boolean[][][][] pruned = new boolean[units][1][side][side];
        for (int u = 0; u < units; u++) {
            for (int i = 0; i < side * side; i++) {
                weights[u][0][i / side][i % side] = w[i * nOut + u];
                pruned[u][0][i / side][i % side] = keep[i * nOut + u] == 0.0;
            }
        }
        double scale = colourScale(weights, pruned);
        BufferedImage tiles = tiles(weights, pruned, PIXELS_PER_WEIGHT, scale);
        Counts c = counts(pruned);
        String threshold = fmt(dense.getThreshold());
        String title = name + ": incoming weights of units 1-" + units + " of " + dense.getNOut() + " ("
                + side + "x" + side + " each)";
        String caption = String.format(Locale.ROOT, "Layer %s after masking (as in Figure 2b of the Sparse VD "
                        + "review, Molchanov et al. 2017): each tile holds the %d incoming weights of one of the "
                        + "first %d of %d hidden units, laid out as a %dx%d image. White: pruned (log alpha >= %s); "
                        + "blue/red: kept negative/positive weights, colour saturating at |w| = %s (the %.0fth "
                        + "percentile of the kept weights shown). Kept: %d of %d weights shown (%.1f%%); %d of the "
                        + "%d units have no kept weight.",
                name, nIn, units, dense.getNOut(), side, side, threshold, fmt(scale), 100 * SCALE_QUANTILE, c.kept,
                c.shown, 100.0 * c.kept / c.shown, c.deadUnits, units);
        return new Figure(compose(tiles, title, scale, threshold), tiles, caption);
    }

    /** One tile per filter (the first {@value #MAX_UNITS}), its input channels side by side. */
    private static Figure convolution(Layer first, SparseVdConvolutionLayer conv, String name) {
        INDArray w = first.getParam(SparseVdParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE); // [out, in, kH, kW]
        INDArray keep = keepMask(first, conv);
        long[] shape = w.shape();
        int units = (int) Math.min(MAX_UNITS, shape[0]);
        int channels = (int) shape[1];
        int kh = (int) shape[2];
        int kw = (int) shape[3];
        double[] flat = rowMajor(w);
        double[] keepFlat = rowMajor(keep);
        double[][][][] weights = new double[units][channels][kh][kw];
        boolean[][][][] pruned = new boolean[units][channels][kh][kw];
        for (int u = 0; u < units; u++) {
            for (int ch = 0; ch < channels; ch++) {
                for (int r = 0; r < kh; r++) {
                    for (int col = 0; col < kw; col++) {
                        int i = ((u * channels + ch) * kh + r) * kw + col;
                        weights[u][ch][r][col] = flat[i];
                        pruned[u][ch][r][col] = keepFlat[i] == 0.0;
                    }
                }
            }
        }
        int pixels = Math.max(PIXELS_PER_WEIGHT, MIN_TILE_PIXELS / Math.max(kh, kw));
        double scale = colourScale(weights, pruned);
        BufferedImage tiles = tiles(weights, pruned, pixels, scale);
        Counts c = counts(pruned);
        String threshold = fmt(conv.getThreshold());
        String title = name + ": filters 1-" + units + " of " + shape[0] + " (" + channels + " channel"
                + (channels == 1 ? "" : "s") + " of " + kh + "x" + kw + " taps each)";
        String caption = String.format(Locale.ROOT, "Convolution %s after masking: each tile is one of the first "
                        + "%d of %d filters, %s. White: pruned taps (log alpha >= %s); blue/red: kept negative/positive "
                        + "weights, colour saturating at |w| = %s (the %.0fth percentile of the kept weights shown). "
                        + "Kept: %d of %d taps shown (%.1f%%); %d of the %d filters have no kept tap.",
                name, units, shape[0], channels == 1 ? kh + "x" + kw + " taps"
                        : "its " + channels + " input channels' " + kh + "x" + kw + " taps side by side",
                threshold, fmt(scale), 100 * SCALE_QUANTILE, c.kept, c.shown, 100.0 * c.kept / c.shown, c.deadUnits,
                units);
        return new Figure(compose(tiles, title, scale, threshold), tiles, caption);
    }

    /** The elements of {@code a} in row-major (C) order, read in bulk rather than one by one. */
    private static double[] rowMajor(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    /** 1 where the layer's inference mask keeps a weight, 0 where it prunes it (core's {@link LogAlpha}). */
    private static INDArray keepMask(Layer layer, SparseVdLayer conf) {
        INDArray w = layer.getParam(SparseVdParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE);
        INDArray logSigma2 = layer.getParam(SparseVdParamInitializer.LOG_SIGMA2_KEY).castTo(DataType.DOUBLE);
        return LogAlpha.keepMask(LogAlpha.compute(w, logSigma2, conf.getLogAlphaMin(), conf.getLogAlphaMax()),
                conf.getThreshold());
    }

    /** Weights shown, weights kept, and units without a kept weight. */
    private record Counts(long shown, long kept, int deadUnits) {
    }

    private static Counts counts(boolean[][][][] pruned) {
        long shown = 0;
        long kept = 0;
        int dead = 0;
        for (boolean[][][] unit : pruned) {
            long keptOfUnit = 0;
            for (boolean[][] channel : unit) {
                for (boolean[] row : channel) {
                    for (boolean p : row) {
                        shown++;
                        keptOfUnit += p ? 0 : 1;
                    }
                }
            }
            kept += keptOfUnit;
            dead += keptOfUnit == 0 ? 1 : 0;
        }
        return new Counts(shown, kept, dead);
    }

    /**
     * The tile grid: unit u's weights {@code weights[u][channel][row][column]} as the u-th tile, left to right and
     * top to bottom, {@code pixels} pixels per weight, a tile's channels side by side one pixel apart, tiles
     * separated by {@link #GAP} dark pixels. Pruned weights are {@link #PRUNED_RGB}; kept ones get the diverging
     * colour of {@code weight / scale}, clipped to [−1, 1].
     */
    static BufferedImage tiles(double[][][][] weights, boolean[][][][] pruned, int pixels, double scale) {
        int units = weights.length;
        int channels = weights[0].length;
        int kh = weights[0][0].length;
        int kw = weights[0][0][0].length;
        int tileW = channels * kw * pixels + (channels - 1);
        int tileH = kh * pixels;
        int cols = columns(units);
        int rows = (units + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * (tileW + GAP) + GAP, rows * (tileH + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        // Pixels written straight into the image's memory: one weight is a pixels×pixels square of one colour
        int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        int stride = img.getWidth();
        Arrays.fill(rgb, GAP_RGB);
        for (int u = 0; u < units; u++) {
            int x0 = GAP + (u % cols) * (tileW + GAP);
            int y0 = GAP + (u / cols) * (tileH + GAP);
            for (int ch = 0; ch < channels; ch++) {
                for (int r = 0; r < kh; r++) {
                    for (int c = 0; c < kw; c++) {
                        int colour = pruned[u][ch][r][c] ? PRUNED_RGB : diverging(weights[u][ch][r][c] / scale);
                        int x = x0 + ch * (kw * pixels + 1) + c * pixels;
                        for (int y = y0 + r * pixels; y < y0 + (r + 1) * pixels; y++) {
                            Arrays.fill(rgb, y * stride + x, y * stride + x + pixels, colour);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** Tiles per row of the grid: ⌈√units⌉ (10×10 for 100 units). */
    static int columns(int units) {
        return (int) Math.ceil(Math.sqrt(units));
    }

    /** The RGB of v ∈ [−1, 1] (clipped) on the diverging map. */
    static int diverging(double v) {
        double t = (Math.max(-1, Math.min(1, v)) + 1) / 2 * (DIVERGING.length - 1);
        int k = Math.min((int) t, DIVERGING.length - 2);
        double f = t - k;
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
            int value = (int) Math.round(DIVERGING[k][c] + f * (DIVERGING[k + 1][c] - DIVERGING[k][c]));
            rgb = (rgb << 8) | value;
        }
        return rgb;
    }

    /** The {@link #SCALE_QUANTILE} quantile of |w| over the kept weights shown (1 if there are none). */
    private static double colourScale(double[][][][] weights, boolean[][][][] pruned) {
        int units = weights.length;
        int perUnit = weights[0].length * weights[0][0].length * weights[0][0][0].length;
        double[] abs = new double[units * perUnit];
        int n = 0;
        for (int u = 0; u < units; u++) {
            for (int ch = 0; ch < weights[u].length; ch++) {
                for (int r = 0; r < weights[u][ch].length; r++) {
                    for (int c = 0; c < weights[u][ch][r].length; c++) {
                        if (!pruned[u][ch][r][c]) {
                            abs[n++] = Math.abs(weights[u][ch][r][c]);
                        }
                    }
                }
            }
        }
        if (n == 0) {
            return 1.0;
        }
        Arrays.sort(abs, 0, n);
        double q = abs[(int) Math.min(n - 1, Math.floor(SCALE_QUANTILE * n))];
        return q > 0 ? q : 1.0;
    }

    /** Title above, tiles in the middle, and a colour key below. */
    private static BufferedImage compose(BufferedImage tiles, String title, double scale, String threshold) {
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 18);
        Graphics2D measure = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int titleWidth = measure.getFontMetrics(titleFont).stringWidth(title);
        measure.dispose();
        // Wide enough for the title and the colour key, tiles centred when narrower.
        int width = Math.max(tiles.getWidth(), Math.max(titleWidth, MIN_KEY_WIDTH)) + 2 * MARGIN;
        int height = TITLE_HEIGHT + tiles.getHeight() + KEY_HEIGHT;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (width - fm.stringWidth(title)) / 2, 30);
        g.drawImage(tiles, (width - tiles.getWidth()) / 2, TITLE_HEIGHT, null);

        // colour bar from −scale to +scale
        int barX = MARGIN;
        int barY = TITLE_HEIGHT + tiles.getHeight() + 14;
        int barW = 360;
        int barH = 18;
        for (int x = 0; x < barW; x++) {
            g.setColor(new Color(diverging(2.0 * x / (barW - 1) - 1)));
            g.drawLine(barX + x, barY, barX + x, barY + barH - 1);
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(barX, barY, barW - 1, barH - 1);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        fm = g.getFontMetrics();
        int labelY = barY + barH + fm.getAscent() + 4;
        String lo = "-" + fmt(scale);
        String hi = "+" + fmt(scale);
        g.drawString(lo, barX, labelY);
        g.drawString("0", barX + barW / 2 - fm.stringWidth("0") / 2, labelY);
        g.drawString(hi, barX + barW - fm.stringWidth(hi), labelY);
        g.drawString("kept weight", barX + barW + 12, barY + barH - 4);

        // the pruned swatch
        int swatchX = barX + barW + 12 + fm.stringWidth("kept weight") + 40;
        g.setColor(Color.WHITE);
        g.fillRect(swatchX, barY, barH, barH);
        g.setColor(Color.GRAY);
        g.drawRect(swatchX, barY, barH - 1, barH - 1);
        g.setColor(Color.BLACK);
        g.drawString("pruned (log \u03b1 \u2265 " + threshold + ")", swatchX + barH + 8, barY + barH - 4);
        g.dispose();
        return img;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
