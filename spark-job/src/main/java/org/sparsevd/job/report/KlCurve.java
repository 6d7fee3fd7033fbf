package org.sparsevd.job.report;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparsevd.core.kl.KlApproximation;
import org.sparsevd.core.kl.KlNumeric;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.Provenance;

/**
 * {@code sparsevd kl-curve}: Figure 1 of the Sparse VD review (Molchanov, Ashukha, Vetrov, ICML 2017): the
 * approximation of −KL(q‖p) of eq. 14 ({@link KlApproximation}, with the constant −k1 so it → 0 as α → ∞)
 * against the same quantity computed numerically ({@link KlNumeric}), over a grid of logα, and their
 * difference, which the paper bounds by 0.01.
 */
public final class KlCurve {
    public static final String CURVE_PNG = "kl-curve.png";
    public static final String ERROR_PNG = "kl-curve-error.png";
    public static final String CSV = "kl-curve.csv";
    /** The paper's stated bound on |approximation − numeric|. */
    public static final double PAPER_BOUND = 0.01;

    /**
     * One point of the curve.
     *
     * @param logAlpha log α
     * @param approx   −KL by eq. 14
     * @param numeric  −KL by quadrature
     */
    public record Point(double logAlpha, double approx, double numeric) {
        public double difference() {
            return approx - numeric;
        }
    }

    private final List<Point> points;

    private KlCurve(List<Point> points) {
        this.points = List.copyOf(points);
    }

    /** {@code n} ≥ 2 equally spaced points from {@code min} to {@code max} (both included). */
    public static KlCurve compute(double min, double max, int n) {
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double la = i == n - 1 ? max : min + (max - min) * i / (n - 1);
            points.add(new Point(la, -KlApproximation.kl(la), KlNumeric.negKl(la)));
        }
        return new KlCurve(points);
    }

    /** The point with the largest |difference|. */
    public Point worst() {
        Point worst = points.get(0);
        for (Point p : points) {
            if (Math.abs(p.difference()) > Math.abs(worst.difference())) {
                worst = p;
            }
        }
        return worst;
    }

    /** {@code logalpha,approx,numeric,difference}, one row per point. */
    public String csv() {
        StringBuilder sb = new StringBuilder("logalpha,approx,numeric,difference\n");
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "%.6f,%.10f,%.10f,%.10f%n", p.logAlpha(), p.approx(), p.numeric(),
                    p.difference()));
        }
        return sb.toString();
    }

    /** Figure 1: both curves. */
    public byte[] curvePng() {
        return Charts.line("\u2212KL(q\u2016p) for the log-uniform prior (Molchanov et al. 2017, Fig. 1)",
                        "log \u03b1", "\u2212KL (nats)")
                .series("numerical (tanh-sinh quadrature)", column(Point::logAlpha), column(Point::numeric))
                .series("approximation, eq. 14", column(Point::logAlpha), column(Point::approx)).dashed()
                .png();
    }

    /** The difference, with the paper's ±0.01 bound. */
    public byte[] errorPng() {
        return Charts.line("Error of the eq. 14 approximation", "log \u03b1", "approximation \u2212 numerical (nats)")
                .series("difference", column(Point::logAlpha), column(Point::difference))
                .marker(PAPER_BOUND, "+0.01 (paper's bound)")
                .marker(-PAPER_BOUND, "\u22120.01 (paper's bound)")
                .png();
    }

    /**
     * Writes {@link #CURVE_PNG}, {@link #ERROR_PNG} and {@link #CSV} into {@code dir} (any Hadoop FileSystem
     * URI), creating it if needed; a {@code dir} that is a file is an {@link OutputException}.
     */
    public void writeTo(URI dir, Configuration conf) {
        String where = "--output " + Provenance.redact(dir);
        try {
            FileSystem fs = FileSystem.get(dir, conf);
            Path path = new Path(dir);
            if (fs.exists(path) && !fs.getFileStatus(path).isDirectory()) {
                throw new OutputException(where + " exists and is a file, not a directory");
            }
            if (!fs.mkdirs(path)) {
                throw new OutputException(where + ": could not create the directory");
            }
            write(fs, new Path(path, CURVE_PNG), curvePng());
            write(fs, new Path(path, ERROR_PNG), errorPng());
            write(fs, new Path(path, CSV), csv().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OutputException(where + ": could not write: " + e.getMessage(), e);
        }
    }

    private static void write(FileSystem fs, Path file, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            out.write(bytes);
        }
    }

    private double[] column(java.util.function.ToDoubleFunction<Point> f) {
        return points.stream().mapToDouble(f).toArray();
    }
}
