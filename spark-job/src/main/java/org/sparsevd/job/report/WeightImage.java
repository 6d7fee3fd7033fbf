package org.sparsevd.job.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.kl.LogAlpha;
import org.sparsevd.core.layers.SparseVdDenseLayer;
import org.sparsevd.core.layers.SparseVdParamInitializer;

/**
 * The picture of a network's first-layer weights after masking, as in Figure 2b of the Sparse VD review
 * (Molchanov, Ashukha, Vetrov, ICML 2017, "Variational Dropout Sparsifies Deep Neural Networks"): for each of the
 * first {@value #MAX_UNITS} hidden units, its incoming weights as a side×side tile (28×28 for MNIST-sized inputs),
 * in a grid of tiles. Kept weights are coloured by sign and magnitude (blue negative, red positive, light grey
 * near zero); pruned weights — clip(logα) ≥ the layer's threshold, the inference mask of core's {@link LogAlpha}
 * with the layer's own clip range and threshold — are pure white, a colour no kept weight gets.
 */
public final class WeightImage {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** At most this many hidden units (tiles) are shown. */
    public static final int MAX_UNITS = 100;
    /** Each weight is a square of this many pixels on a side. */
    public static final int PIXELS_PER_WEIGHT = 3;
    /** Pixels between tiles. */
    public static final int GAP = 2;
    /** The colour of pruned weights, and only of them. */
    public static final int PRUNED_RGB = 0xFFFFFF;

    private static final Color GAP_COLOR = new Color(0x505050);
    /** Quantile of |kept weights| mapped to the ends of the colour scale (larger ones are clipped to it). */
    private static final double SCALE_QUANTILE = 0.99;
    /** A diverging map from −1 to 1 at equal steps; its middle is grey, not white, so kept ≠ pruned. */
    private static final int[][] DIVERGING = {
        {33, 102, 172}, {103, 169, 207}, {210, 210, 210}, {239, 138, 98}, {178, 24, 43}};
    static final int MARGIN = 20;
    static final int TITLE_HEIGHT = 44;
    private static final int KEY_HEIGHT = 76;

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
     * The figure of {@code net}'s first layer if it is a Sparse VD dense layer whose number of inputs is a perfect
     * square (784 = 28×28 for LeNet-300-100), otherwise a figure with only the reason in its caption.
     */
    public static Figure firstLayer(MultiLayerNetwork net) {
        Layer first = net.getLayer(0);
        org.deeplearning4j.nn.conf.layers.Layer conf = first.conf().getLayer();
        String name = conf.getLayerName() != null ? conf.getLayerName() : "layer0";
        if (!(conf instanceof SparseVdDenseLayer dense)) {
            return new Figure(null, null, "The first layer (" + name + ", " + conf.getClass().getSimpleName()
                    + ") is not a Sparse VD dense layer, so its weights are not drawn.");
        }
        long nIn = dense.getNIn();
        int side = (int) Math.round(Math.sqrt(nIn));
        if ((long) side * side != nIn) {
            return new Figure(null, null, "The first layer (" + name + ") has " + nIn
                    + " inputs, not a perfect square, so its weights cannot be drawn as square images.");
        }
        INDArray w = first.getParam(SparseVdParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE);
        INDArray logSigma2 = first.getParam(SparseVdParamInitializer.LOG_SIGMA2_KEY).castTo(DataType.DOUBLE);
        INDArray keep = LogAlpha.keepMask(LogAlpha.compute(w, logSigma2, dense.getLogAlphaMin(),
                dense.getLogAlphaMax()), dense.getThreshold());
        double[][] weights = w.toDoubleMatrix();
        boolean[][] pruned = pruned(keep.toDoubleMatrix());
        int units = (int) Math.min(MAX_UNITS, dense.getNOut());
        double scale = colourScale(weights, pruned, units);
        BufferedImage tiles = tiles(weights, pruned, side, units, scale);

        long kept = 0;
        int deadUnits = 0;
        for (int u = 0; u < units; u++) {
            int keptOfUnit = 0;
            for (int i = 0; i < nIn; i++) {
                keptOfUnit += pruned[i][u] ? 0 : 1;
            }
            kept += keptOfUnit;
            deadUnits += keptOfUnit == 0 ? 1 : 0;
        }
        String threshold = fmt(dense.getThreshold());
        String title = name + ": incoming weights of units 1-" + units + " of " + dense.getNOut() + " ("
                + side + "x" + side + " each)";
        BufferedImage image = compose(tiles, title, scale, threshold);
        String caption = String.format(Locale.ROOT, "Layer %s after masking (as in Figure 2b of the Sparse VD "
                        + "review, Molchanov et al. 2017): each tile holds the %d incoming weights of one of the "
                        + "first %d of %d hidden units, laid out as a %dx%d image. White: pruned (log alpha >= %s); "
                        + "blue/red: kept negative/positive weights, colour saturating at |w| = %s (the %.0fth "
                        + "percentile of the kept weights shown). Kept: %d of %d weights shown (%.1f%%); %d of the "
                        + "%d units have no kept weight.",
                name, nIn, units, dense.getNOut(), side, side, threshold, fmt(scale), 100 * SCALE_QUANTILE, kept,
                (long) units * nIn, 100.0 * kept / ((double) units * nIn), deadUnits, units);
        return new Figure(image, tiles, caption);
    }

    /**
     * The tile grid: unit u's weights {@code weights[i][u]} (i = row·side + column, row-major like the input
     * images) as the u-th tile, left to right and top to bottom, {@link #PIXELS_PER_WEIGHT} pixels per weight,
     * tiles separated by {@link #GAP} dark pixels. Pruned weights are {@link #PRUNED_RGB}; kept ones get the
     * diverging colour of {@code weights[i][u] / scale}, clipped to [−1, 1].
     */
    static BufferedImage tiles(double[][] weights, boolean[][] pruned, int side, int units, double scale) {
        int cols = columns(units);
        int rows = (units + cols - 1) / cols;
        int tile = side * PIXELS_PER_WEIGHT;
        BufferedImage img = new BufferedImage(cols * (tile + GAP) + GAP, rows * (tile + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(GAP_COLOR);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        for (int u = 0; u < units; u++) {
            int x0 = tileX(u, cols, side);
            int y0 = tileY(u, cols, side);
            for (int i = 0; i < side * side; i++) {
                int rgb = pruned[i][u] ? PRUNED_RGB : diverging(weights[i][u] / scale);
                int x = x0 + (i % side) * PIXELS_PER_WEIGHT;
                int y = y0 + (i / side) * PIXELS_PER_WEIGHT;
                for (int dy = 0; dy < PIXELS_PER_WEIGHT; dy++) {
                    for (int dx = 0; dx < PIXELS_PER_WEIGHT; dx++) {
                        img.setRGB(x + dx, y + dy, rgb);
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

    /** Left pixel column of unit u's tile in a grid of {@code cols} tiles of side×side weights per row. */
    static int tileX(int unit, int cols, int side) {
        return GAP + (unit % cols) * (PIXELS_PER_WEIGHT * side + GAP);
    }

    /** Top pixel row of unit u's tile in a grid of {@code cols} tiles of side×side weights per row. */
    static int tileY(int unit, int cols, int side) {
        return GAP + (unit / cols) * (PIXELS_PER_WEIGHT * side + GAP);
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

    private static boolean[][] pruned(double[][] keep) {
        boolean[][] out = new boolean[keep.length][];
        for (int i = 0; i < keep.length; i++) {
            out[i] = new boolean[keep[i].length];
            for (int j = 0; j < keep[i].length; j++) {
                out[i][j] = keep[i][j] == 0.0;
            }
        }
        return out;
    }

    /** The {@link #SCALE_QUANTILE} quantile of |w| over the kept weights of the shown units (1 if there are none). */
    private static double colourScale(double[][] weights, boolean[][] pruned, int units) {
        double[] abs = new double[weights.length * units];
        int n = 0;
        for (int i = 0; i < weights.length; i++) {
            for (int u = 0; u < units; u++) {
                if (!pruned[i][u]) {
                    abs[n++] = Math.abs(weights[i][u]);
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
        int width = tiles.getWidth() + 2 * MARGIN;
        int height = TITLE_HEIGHT + tiles.getHeight() + KEY_HEIGHT;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (width - fm.stringWidth(title)) / 2, 30);
        g.drawImage(tiles, MARGIN, TITLE_HEIGHT, null);

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
