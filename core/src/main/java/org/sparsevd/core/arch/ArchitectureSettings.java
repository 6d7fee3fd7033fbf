package org.sparsevd.core.arch;

import org.nd4j.linalg.api.buffer.DataType;
import org.sparsevd.core.optim.FusedAdam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.sparsevd.core.layers.SparseVdDenseLayer;

import java.io.Serializable;
import java.util.Objects;

/**
 * Settings of the architectures built in this package; immutable and checked on construction.
 *
 * @param seed          DL4J's network seed (weight initialisation)
 * @param trainSetSize  N, the number of examples of the WHOLE training set (&gt; 0)
 * @param klWeight      initial KL weight of every SparseVD layer (finite, ≥ 0; a schedule changes it per epoch)
 * @param threshold     logα threshold of the inference mask
 * @param logSigma2Init initial logσ²
 * @param logAlphaMin   lower clip of logα (&lt; logAlphaMax)
 * @param logAlphaMax   upper clip of logα
 * @param updater       the updater of all parameters (copied in and out: the record never shares it)
 * @param dataType      network data type, FLOAT or DOUBLE (DOUBLE for gradient checks)
 */
public record ArchitectureSettings(long seed, long trainSetSize, double klWeight, double threshold, double logSigma2Init,
                                   double logAlphaMin, double logAlphaMax, IUpdater updater, DataType dataType)
        implements Serializable {

    public static final long DEFAULT_SEED = 42L;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    public ArchitectureSettings {
        if (trainSetSize <= 0) {
            throw new IllegalArgumentException("trainSetSize (N, the number of examples in the whole training set) "
                    + "must be > 0, got " + trainSetSize);
        }
        if (!Double.isFinite(klWeight) || klWeight < 0) {
            throw new IllegalArgumentException("klWeight must be finite and >= 0, got " + klWeight);
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite, got " + threshold);
        }
        if (!Double.isFinite(logSigma2Init)) {
            throw new IllegalArgumentException("logSigma2Init must be finite, got " + logSigma2Init);
        }
        if (!Double.isFinite(logAlphaMin) || !Double.isFinite(logAlphaMax) || logAlphaMin >= logAlphaMax) {
            throw new IllegalArgumentException("logAlpha clip range must be finite with min < max, got min="
                    + logAlphaMin + ", max=" + logAlphaMax);
        }
        Objects.requireNonNull(updater, "updater");
        Objects.requireNonNull(dataType, "dataType");
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, got " + dataType);
        }
        updater = updater.clone();
    }

    /**
     * The defaults for a training set of N examples: seed 42, KL weight 1, threshold 3, logσ² init −10,
     * logα clip [−8, 8], Adam(1e-3), FLOAT.
     */
    public static ArchitectureSettings defaults(long trainSetSize) {
        return new ArchitectureSettings(DEFAULT_SEED, trainSetSize, SparseVdDenseLayer.DEFAULT_KL_WEIGHT,
                SparseVdDenseLayer.DEFAULT_THRESHOLD, SparseVdDenseLayer.DEFAULT_LOG_SIGMA2_INIT,
                SparseVdDenseLayer.DEFAULT_LOG_ALPHA_MIN, SparseVdDenseLayer.DEFAULT_LOG_ALPHA_MAX,
                new FusedAdam(DEFAULT_LEARNING_RATE), DataType.FLOAT);
    }

    /** A copy of the updater. */
    @Override
    public IUpdater updater() {
        return updater.clone();
    }

    public ArchitectureSettings withSeed(long seed) {
        return new ArchitectureSettings(seed, trainSetSize, klWeight, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                updater, dataType);
    }

    public ArchitectureSettings withTrainSetSize(long trainSetSize) {
        return new ArchitectureSettings(seed, trainSetSize, klWeight, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                updater, dataType);
    }

    public ArchitectureSettings withKlWeight(double klWeight) {
        return new ArchitectureSettings(seed, trainSetSize, klWeight, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                updater, dataType);
    }

    public ArchitectureSettings withThreshold(double threshold) {
        return new ArchitectureSettings(seed, trainSetSize, klWeight, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                updater, dataType);
    }

    public ArchitectureSettings withLogSigma2Init(double logSigma2Init) {
        return new ArchitectureSettings(seed, trainSetSize, klWeight, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                updater, dataType);
    }

    public ArchitectureSettings withLogAlphaClip(double min, double max) {
        return new ArchitectureSettings(seed, trainSetSize, klWeight, threshold, logSigma2Init, min, max, updater,
                dataType);
    }

    public ArchitectureSettings withUpdater(IUpdater updater) {
        return new ArchitectureSettings(seed, trainSetSize, klWeight, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                updater, dataType);
    }

    /** Adam with the given learning rate (finite, &gt; 0). */
    public ArchitectureSettings withLearningRate(double learningRate) {
        if (!Double.isFinite(learningRate) || learningRate <= 0) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        return withUpdater(new FusedAdam(learningRate));
    }

    public ArchitectureSettings withDataType(DataType dataType) {
        return new ArchitectureSettings(seed, trainSetSize, klWeight, threshold, logSigma2Init, logAlphaMin, logAlphaMax,
                updater, dataType);
    }
}
