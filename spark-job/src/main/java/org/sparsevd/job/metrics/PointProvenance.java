package org.sparsevd.job.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a sweep point's model came from; the run directory holds the full configuration ({@code run.json}), the
 * per-epoch metrics and the model.
 *
 * @param run                the training run's directory, relative to the sweep's output ({@code runs/kl-0.3})
 * @param seed               the seed of everything random in the run
 * @param trainExamples      N, the training-set size
 * @param trainSeconds       wall time of the training run
 * @param sparkMaster        the Spark master it ran on
 * @param sparkApplicationId the Spark application that trained and evaluated it
 * @param finishedAt         when its evaluation finished (ISO-8601)
 * @param versions           sparsevd, DL4J, Spark, Scala, Java, ND4J backend versions
 */
public record PointProvenance(String run, long seed, long trainExamples, double trainSeconds, String sparkMaster,
                              String sparkApplicationId, String finishedAt, Map<String, String> versions) {
    public PointProvenance {
        versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions)); // one order, whichever JVM reads it
    }
}
