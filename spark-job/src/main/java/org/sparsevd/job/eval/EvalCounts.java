package org.sparsevd.job.eval;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Aggregator of classification results for several thresholds at once: per threshold the number of correct
 * predictions, and the number of examples. Built by {@link #add} on executors and combined by {@link #merge}
 * in a tree aggregate.
 */
public final class EvalCounts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] correct;
    private long examples;

    public EvalCounts(int thresholds) {
        if (thresholds < 1) {
            throw new IllegalArgumentException("need at least one threshold, got " + thresholds);
        }
        this.correct = new long[thresholds];
    }

    /**
     * Counts the predictions {@code output} (probabilities, one row per example) of threshold {@code t} against
     * {@code actualClasses}, the true class indices ({@code labels.argMax(1)}, computed once per batch).
     */
    public EvalCounts add(int t, INDArray output, INDArray actualClasses) {
        INDArray predicted = output.argMax(1);
        correct[t] += predicted.eq(actualClasses).castTo(org.nd4j.linalg.api.buffer.DataType.INT64).sumNumber()
                .longValue();
        return this;
    }

    /** Adds {@code n} examples (once per batch, whatever the number of thresholds). */
    public EvalCounts addExamples(long n) {
        examples += n;
        return this;
    }

    public EvalCounts merge(EvalCounts other) {
        if (other.correct.length != correct.length) {
            throw new IllegalArgumentException("cannot merge counts of " + other.correct.length + " and "
                    + correct.length + " thresholds");
        }
        for (int i = 0; i < correct.length; i++) {
            correct[i] += other.correct[i];
        }
        examples += other.examples;
        return this;
    }

    /** Accuracy under threshold index {@code t}; NaN when nothing was counted. */
    public double accuracy(int t) {
        return examples == 0 ? Double.NaN : (double) correct[t] / examples;
    }
}
