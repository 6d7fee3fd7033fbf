package org.sparsevd.job.train;

import java.util.Arrays;
import org.apache.spark.util.AccumulatorV2;

/**
 * A sum of doubles added on the executors whose value does not depend on the order in which Spark merges the
 * tasks' updates (it merges them as tasks finish, and floating-point addition is not associative, so Spark's
 * {@code DoubleAccumulator} can differ in the last bit between two runs of the same command). It keeps the
 * addends (one per minibatch: a few thousand per epoch at most) and adds them in ascending order when read.
 * Like every accumulator, only successful tasks' updates are merged.
 */
public final class OrderFreeSum extends AccumulatorV2<Double, Double> {
    private static final long serialVersionUID = 1L;

    private double[] addends = new double[0];
    private int count;

    @Override
    public void add(Double v) {
        append(v);
    }

    private void append(double v) {
        if (count == addends.length) {
            addends = Arrays.copyOf(addends, Math.max(16, 2 * count));
        }
        addends[count++] = v;
    }

    @Override
    public void merge(AccumulatorV2<Double, Double> other) {
        OrderFreeSum o = (OrderFreeSum) other;
        for (int i = 0; i < o.count; i++) {
            append(o.addends[i]);
        }
    }

    /** The sum of the addends, added in ascending order. */
    @Override
    public Double value() {
        double[] sorted = Arrays.copyOf(addends, count);
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return sum;
    }

    @Override
    public boolean isZero() {
        return count == 0;
    }

    @Override
    public OrderFreeSum copy() {
        OrderFreeSum c = new OrderFreeSum();
        c.addends = Arrays.copyOf(addends, count);
        c.count = count;
        return c;
    }

    @Override
    public void reset() {
        addends = new double[0];
        count = 0;
    }
}
