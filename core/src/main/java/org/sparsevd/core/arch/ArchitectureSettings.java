package org.sparsevd.core.arch;

import org.nd4j.linalg.api.buffer.DataType;
import org.sparsevd.core.optim.FusedAdam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.sparsevd.core.layers.spec.SparseVdSettings;

import java.io.Serializable;
import java.util.Objects;

/**
 * Settings of the architectures built in this package; immutable and checked on construction.
 *
 * @param seed     DL4J's network seed (weight initialisation)
 * @param sparseVd the settings of every SparseVD layer (N must be given; the KL weight is the initial one: a
 *                 schedule changes it per epoch); checked by {@link SparseVdSettings}
 * @param updater  the updater of all parameters (copied in and out: the record never shares it)
 * @param dataType network data type, FLOAT or DOUBLE (DOUBLE for gradient checks)
 */
public record ArchitectureSettings(long seed, SparseVdSettings sparseVd, IUpdater updater, DataType dataType)
        implements Serializable {

    public static final long DEFAULT_SEED = 42L;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    public ArchitectureSettings {
        Objects.requireNonNull(sparseVd, "sparseVd");
        sparseVd.checkComplete();
        Objects.requireNonNull(updater, "updater");
        Objects.requireNonNull(dataType, "dataType");
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, got " + dataType);
        }
        updater = updater.clone();
    }

    /**
     * The defaults for a training set of N examples: seed 42, {@link SparseVdSettings#DEFAULTS} (KL weight 1,
     * threshold 3, logσ² init −10, logα clip [−8, 8]), Adam(1e-3), FLOAT.
     */
    public static ArchitectureSettings defaults(long trainSetSize) {
        return new ArchitectureSettings(DEFAULT_SEED, SparseVdSettings.DEFAULTS.withTrainSetSize(trainSetSize),
                new FusedAdam(DEFAULT_LEARNING_RATE), DataType.FLOAT);
    }

    /** A copy of the updater. */
    @Override
    public IUpdater updater() {
        return updater.clone();
    }

    public ArchitectureSettings withSeed(long seed) {
        return new ArchitectureSettings(seed, sparseVd, updater, dataType);
    }

    public ArchitectureSettings withSparseVd(SparseVdSettings sparseVd) {
        return new ArchitectureSettings(seed, sparseVd, updater, dataType);
    }

    public ArchitectureSettings withTrainSetSize(long trainSetSize) {
        return withSparseVd(sparseVd.withTrainSetSize(trainSetSize));
    }

    public ArchitectureSettings withKlWeight(double klWeight) {
        return withSparseVd(sparseVd.withKlWeight(klWeight));
    }

    public ArchitectureSettings withThreshold(double threshold) {
        return withSparseVd(sparseVd.withThreshold(threshold));
    }

    public ArchitectureSettings withLogSigma2Init(double logSigma2Init) {
        return withSparseVd(sparseVd.withLogSigma2Init(logSigma2Init));
    }

    public ArchitectureSettings withLogAlphaClip(double min, double max) {
        return withSparseVd(sparseVd.withLogAlphaClip(min, max));
    }

    public ArchitectureSettings withUpdater(IUpdater updater) {
        return new ArchitectureSettings(seed, sparseVd, updater, dataType);
    }

    /** Adam with the given learning rate (finite, &gt; 0). */
    public ArchitectureSettings withLearningRate(double learningRate) {
        if (!Double.isFinite(learningRate) || learningRate <= 0) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        return withUpdater(new FusedAdam(learningRate));
    }

    public ArchitectureSettings withDataType(DataType dataType) {
        return new ArchitectureSettings(seed, sparseVd, updater, dataType);
    }
}
