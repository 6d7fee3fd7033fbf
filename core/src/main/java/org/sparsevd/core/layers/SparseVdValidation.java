package org.sparsevd.core.layers;

import org.sparsevd.core.kl.LogAlpha;

/** Argument checks, equality and descriptions shared by the SparseVD layer configurations and their builders. */
final class SparseVdValidation {

    private SparseVdValidation() {
    }

    static double klWeight(double klWeight) {
        if (!Double.isFinite(klWeight) || klWeight < 0) {
            throw new IllegalArgumentException("klWeight must be finite and >= 0, got " + klWeight);
        }
        return klWeight;
    }

    static long trainSetSize(long trainSetSize) {
        if (trainSetSize <= 0) {
            throw new IllegalArgumentException("trainSetSize (N, the number of examples in the whole training set) "
                    + "must be > 0, got " + trainSetSize);
        }
        return trainSetSize;
    }

    static double threshold(double threshold) {
        return LogAlpha.checkThreshold(threshold);
    }

    static double logSigma2Init(double logSigma2Init) {
        return finite("logSigma2Init", logSigma2Init);
    }

    static double finite(String name, double value) {
        return LogAlpha.checkFinite(name, value);
    }

    static void logAlphaClip(double min, double max) {
        LogAlpha.checkClip(min, max);
    }

    /** Checks a complete configuration (used when a layer is built and when it is instantiated). */
    static void all(String layerName, SparseVdLayer l) {
        try {
            klWeight(l.getKlWeight());
            trainSetSize(l.getTrainSetSize());
            threshold(l.getThreshold());
            logSigma2Init(l.getLogSigma2Init());
            logAlphaClip(l.getLogAlphaMin(), l.getLogAlphaMax());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid SparseVD layer configuration (layer \"" + layerName + "\"): "
                    + e.getMessage(), e);
        }
    }

    /** Whether the SparseVD settings of two layers are equal. */
    static boolean sameSettings(SparseVdLayer a, SparseVdLayer b) {
        return Double.compare(a.getKlWeight(), b.getKlWeight()) == 0
                && a.getTrainSetSize() == b.getTrainSetSize()
                && Double.compare(a.getThreshold(), b.getThreshold()) == 0
                && Double.compare(a.getLogSigma2Init(), b.getLogSigma2Init()) == 0
                && Double.compare(a.getLogAlphaMin(), b.getLogAlphaMin()) == 0
                && Double.compare(a.getLogAlphaMax(), b.getLogAlphaMax()) == 0
                && a.isSkipInputGradient() == b.isSkipInputGradient();
    }

    /** A hash of {@code base} and the layer's SparseVD settings. */
    static int settingsHash(int base, SparseVdLayer l) {
        int h = base;
        h = 31 * h + Double.hashCode(l.getKlWeight());
        h = 31 * h + Long.hashCode(l.getTrainSetSize());
        h = 31 * h + Double.hashCode(l.getThreshold());
        h = 31 * h + Double.hashCode(l.getLogSigma2Init());
        h = 31 * h + Double.hashCode(l.getLogAlphaMin());
        h = 31 * h + Double.hashCode(l.getLogAlphaMax());
        return 31 * h + Boolean.hashCode(l.isSkipInputGradient());
    }

    /** The SparseVD settings as ", klWeight=…, …" for toString. */
    static String describe(SparseVdLayer l) {
        return ", klWeight=" + l.getKlWeight() + ", trainSetSize=" + l.getTrainSetSize() + ", threshold="
                + l.getThreshold() + ", logSigma2Init=" + l.getLogSigma2Init() + ", logAlphaClip=["
                + l.getLogAlphaMin() + ", " + l.getLogAlphaMax() + "], skipInputGradient=" + l.isSkipInputGradient();
    }
}
