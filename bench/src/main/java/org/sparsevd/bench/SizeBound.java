package org.sparsevd.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sparsevd.core.engine.Codebook;
import org.sparsevd.core.engine.LayerSize;
import org.sparsevd.core.engine.LayerSpec;
import org.sparsevd.core.engine.ModelEncoder;
import org.sparsevd.core.engine.ModelFile;
import org.sparsevd.core.engine.NetworkSpec;
import org.sparsevd.core.engine.Quantization;

/**
 * How far a model file's coding is from the information in its weights, per weighted layer, in bits per kept weight:
 * the file's coded bits (the layer re-encoded by this build's writer with its stored values as the codebook), and
 * what any coder of the same kind needs at least under simple models: the centroid indices' empirical entropy, the
 * float32 centroids, and the positions' information, log2 of the number of ways to place the kept weights, taken over
 * the whole matrix, per row or per column (counts plus placements given the counts, the smallest of the three).
 *
 * <pre>bench/run.sh SizeBound MODEL_FILE</pre>
 */
public final class SizeBound {
    private SizeBound() {
    }

    public static void main(String[] args) throws Exception {
        NetworkSpec spec = ModelFile.read(Files.readAllBytes(Path.of(args[0])));
        List<Codebook> books = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            if (l.weighted()) {
                books.add(distinct(values(l)));
            }
        }
        List<LayerSize> sizes = ModelEncoder.encode(spec, new Quantization(true, 16, 16), books).sizes();
        Table table = new Table("layer", "kept", "centroids", "file (bits/kept)", "index entropy", "centroids f32",
                "positions: whole, per row, per column", "sum of the bounds");
        double fileBits = 0;
        double boundBits = 0;
        long kept = 0;
        int w = 0;
        for (LayerSpec l : spec.layers()) {
            if (!l.weighted()) {
                continue;
            }
            Codebook book = books.get(w);
            LayerSize size = sizes.get(w++);
            int[] pos = positions(l);
            int rows = l instanceof LayerSpec.Dense d ? d.in().size() : ((LayerSpec.Conv) l).out().channels();
            int cols = (int) (size.weights() / rows);
            int n = pos.length;
            double index = entropy(book.index(), book.centroids().length);
            double centroids = 32.0 * book.centroids().length;
            double whole = log2Choose(size.weights(), n);
            double perRow = placements(pos, rows, cols, false);
            double perColumn = placements(pos, rows, cols, true);
            double positions = Math.min(whole, Math.min(perRow, perColumn));
            table.add(l.name(), n, book.centroids().length, f(8.0 * size.codedBytes() / n), f(index / n),
                    f(centroids / n), f(whole / n) + ", " + f(perRow / n) + ", " + f(perColumn / n),
                    f((index + centroids + positions) / n));
            fileBits += 8.0 * size.codedBytes();
            boundBits += index + centroids + positions;
            kept += n;
        }
        table.add("total", kept, "", f(fileBits / kept), "", "", "", f(boundBits / kept));
        System.out.printf(Locale.ROOT, "%s: bits per kept weight%n", args[0]);
        System.out.print(table.render());
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static float[] values(LayerSpec l) {
        return l instanceof LayerSpec.Dense d ? d.values() : ((LayerSpec.Conv) l).values();
    }

    private static int[] positions(LayerSpec l) {
        return l instanceof LayerSpec.Dense d ? d.positions() : ((LayerSpec.Conv) l).positions();
    }

    /** The codebook of a layer's stored values: its distinct values ({@link Codebook#compact}). */
    private static Codebook distinct(float[] values) {
        if (values.length == 0) {
            return new Codebook(new float[] {0f}, new int[0]);
        }
        int[] index = new int[values.length];
        Arrays.setAll(index, k -> k);
        return new Codebook(values, index).compact();
    }

    /** Σ over symbols of count · log2(total / count): the empirical entropy of the sequence, in bits. */
    private static double entropy(int[] symbols, int alphabet) {
        long[] counts = new long[alphabet];
        for (int s : symbols) {
            counts[s]++;
        }
        double bits = 0;
        for (long c : counts) {
            if (c > 0) {
                bits += c * log2((double) symbols.length / c);
            }
        }
        return bits;
    }

    /**
     * The kept weights of a rows x cols matrix (row-major positions) placed line by line (rows, or columns): the
     * entropy of the per-line counts plus Σ log2 C(line length, count).
     */
    private static double placements(int[] positions, int rows, int cols, boolean byColumn) {
        int lines = byColumn ? cols : rows;
        int length = byColumn ? rows : cols;
        int[] count = new int[lines];
        for (int p : positions) {
            count[byColumn ? p % cols : p / cols]++;
        }
        double bits = entropy(count, length + 1);
        for (int c : count) {
            bits += log2Choose(length, c);
        }
        return bits;
    }

    private static double log2Choose(long n, long k) {
        double s = 0;
        for (long i = 0; i < k; i++) {
            s += log2((double) (n - i) / (k - i));
        }
        return s;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
