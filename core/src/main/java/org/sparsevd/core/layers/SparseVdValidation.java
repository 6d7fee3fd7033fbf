package org.sparsevd.core.layers;

/** Argument checks shared by the SparseVD layer configurations and their builders. */
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
        return finite("threshold", threshold);
    }

    static double logSigma2Init(double logSigma2Init) {
        return finite("logSigma2Init", logSigma2Init);
    }

    static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    static void logAlphaClip(double min, double max) {
        finite("logAlphaMin", min);
        finite("logAlphaMax", max);
        if (min >= max) {
            throw new IllegalArgumentException("logAlpha clip range must have min < max, got min=" + min + ", max=" + max);
        }
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
}
