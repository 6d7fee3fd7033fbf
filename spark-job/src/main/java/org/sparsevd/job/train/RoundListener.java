package org.sparsevd.job.train;

/**
 * Told on the driver how an epoch's rounds go: {@link SparkTrainer} calls {@link #epochStarted} before
 * the first round of an epoch and {@link #roundDone} after each round's result is in the driver's network.
 */
public interface RoundListener {
    /** Listens to nothing. */
    RoundListener NONE = new RoundListener() {
        @Override
        public void epochStarted(int epoch, int rounds) {
        }

        @Override
        public void roundDone(int round, long examples) {
        }
    };

    /**
     * @param epoch  the 0-based epoch about to be fitted
     * @param rounds the number of rounds it takes
     */
    void epochStarted(int epoch, int rounds);

    /**
     * @param round    the 1-based round just finished
     * @param examples training examples fitted in this epoch so far (over all workers)
     */
    void roundDone(int round, long examples);
}
