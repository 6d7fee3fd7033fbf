package org.sparsevd.job.train;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.util.AccumulatorV2;

/**
 * Training examples fitted per Spark executor, counted on the executors around each minibatch update: which
 * executors did the work (on a cluster, one id per executor JVM; in local mode the one id {@code driver}). Spark
 * merges only the updates of successful tasks, so a task retried after its executor died is counted once, on the
 * executor that finished it.
 */
public final class ExecutorWork extends AccumulatorV2<Integer, Map<String, Long>> {
    private static final long serialVersionUID = 1L;

    private final TreeMap<String, Long> examples = new TreeMap<>();

    /** Counts {@code n} examples fitted by the executor this runs on. */
    @Override
    public void add(Integer n) {
        examples.merge(SparkEnv.get().executorId(), n.longValue(), Long::sum);
    }

    @Override
    public void merge(AccumulatorV2<Integer, Map<String, Long>> other) {
        other.value().forEach((executor, n) -> examples.merge(executor, n, Long::sum));
    }

    /** Examples per executor id, sorted by id. */
    @Override
    public Map<String, Long> value() {
        return new TreeMap<>(examples);
    }

    @Override
    public boolean isZero() {
        return examples.isEmpty();
    }

    @Override
    public ExecutorWork copy() {
        ExecutorWork c = new ExecutorWork();
        c.examples.putAll(examples);
        return c;
    }

    @Override
    public void reset() {
        examples.clear();
    }
}
