package org.sparsevd.job.eval;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Aggregator of classification results for several thresholds at once: per threshold the number of correct
 * predictions and the summed cross-entropy, and the number of examples. Built by {@link #add} on executors and combined by {@link #merge}
 * in a tree aggregate.
 */
public final class EvalCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Probabilities are floored at this before their log is taken: a confident mistake costs at most ~27.6 nats. */
    static final double MIN_PROBABILITY = 1e-12;

    private final long[] correct;
    private final double[] crossEntropy;
    private long examples;

    public EvalCounts(int thresholds) {
        if (thresholds < 1) {
            throw new IllegalArgumentException("need at least one threshold, got " + thresholds);
        }
        this.correct = new long[thresholds];
        this.crossEntropy = new double[thresholds];
    }

    /**
     * Counts the predictions {@code output} (probabilities, one row per example) of threshold {@code t} against
     * the one-hot {@code labels} and {@code actualClasses}, the true class indices ({@code labels.argMax(1)},
     * computed once per batch): the right answers, and the cross-entropy −Σ log p(true class), each probability
     * floored at {@value #MIN_PROBABILITY}.
     */
    public EvalCounts add(int t, INDArray output, INDArray labels, INDArray actualClasses) {
        INDArray predicted = output.argMax(1);
        correct[t] += predicted.eq(actualClasses).castTo(org.nd4j.linalg.api.buffer.DataType.INT64).sumNumber()
                .longValue();
        INDArray trueClass = output.mul(labels).sum(1);
        crossEntropy[t] -= Transforms.log(Transforms.max(trueClass, MIN_PROBABILITY, false), false).sumNumber()
                .doubleValue();
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
            crossEntropy[i] += other.crossEntropy[i];
        }
        examples += other.examples;
        return this;
    }

    /** Mean cross-entropy (nats per example) under threshold index {@code t}; NaN when nothing was counted. */
    public double loss(int t) {
        return examples == 0 ? Double.NaN : crossEntropy[t] / examples;
    }

    /** Accuracy under threshold index {@code t}; NaN when nothing was counted. */
    public double accuracy(int t) {
        return examples == 0 ? Double.NaN : (double) correct[t] / examples;
    }
}
