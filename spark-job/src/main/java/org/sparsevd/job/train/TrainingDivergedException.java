package org.sparsevd.job.train;

/** The loss or the parameters became NaN or infinite; the message names the epoch and the layer. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
