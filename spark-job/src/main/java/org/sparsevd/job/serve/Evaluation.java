package org.sparsevd.job.serve;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts of (true label, predicted label) over a labelled set: accuracy, per-class accuracy (recall) and the confusion
 * matrix, and the examples per second it was scored at.
 */
public final class Evaluation {
    private final long[][] confusion;
    private long total;
    private double seconds;

    public Evaluation(int classes) {
        this.confusion = new long[classes][classes];
    }

    /** Counts one example. */
    public void add(int label, int predicted) {
        confusion[label][predicted]++;
        total++;
    }

    /** Records the wall time the scoring took. */
    public void seconds(double seconds) {
        this.seconds = seconds;
    }

    public long total() {
        return total;
    }

    public double accuracy() {
        long right = 0;
        for (int c = 0; c < confusion.length; c++) {
            right += confusion[c][c];
        }
        return total == 0 ? 0 : (double) right / total;
    }

    /** Per class: the fraction of its examples predicted as it (NaN for a class without examples). */
    public double[] perClass() {
        double[] out = new double[confusion.length];
        for (int c = 0; c < confusion.length; c++) {
            long n = 0;
            for (long v : confusion[c]) {
                n += v;
            }
            out[c] = n == 0 ? Double.NaN : (double) confusion[c][c] / n;
        }
        return out;
    }

    public double examplesPerSecond() {
        return seconds > 0 ? total / seconds : Double.NaN;
    }

    /** For JSON: examples, accuracy, per_class_accuracy, confusion (rows: true label, columns: predicted). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("examples", total);
        m.put("accuracy", accuracy());
        m.put("per_class_accuracy", perClass());
        m.put("confusion", confusion);
        m.put("seconds", seconds);
        m.put("examples_per_second", examplesPerSecond());
        return m;
    }

    /** The printed form: accuracy, speed, per-class accuracy and the confusion matrix. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "accuracy %.4f on %d examples (%.0f examples/s)%n", accuracy(), total,
                examplesPerSecond()));
        b.append("true\\predicted");
        for (int c = 0; c < confusion.length; c++) {
            b.append(String.format(Locale.ROOT, "%7d", c));
        }
        b.append("   accuracy\n");
        double[] per = perClass();
        for (int c = 0; c < confusion.length; c++) {
            b.append(String.format(Locale.ROOT, "%14d", c));
            for (long v : confusion[c]) {
                b.append(String.format(Locale.ROOT, "%7d", v));
            }
            b.append(String.format(Locale.ROOT, "   %.4f%n", per[c]));
        }
        return b.toString();
    }
}
