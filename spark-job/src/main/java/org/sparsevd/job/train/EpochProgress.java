package org.sparsevd.job.train;

import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.sparsevd.job.metrics.EpochMetrics;

/**
 * The progress lines printed inside an epoch: after an round, at most one line every
 * {@link #INTERVAL_MILLIS} ms and none in an epoch's first {@link #INTERVAL_MILLIS} ms (so an epoch shorter than
 * that prints nothing), nor after its last round (the epoch's own line follows). A line gives the round, the
 * examples per second so far in the epoch and the epoch's remaining time at that rate, e.g.
 * {@code epoch 3/20  round 12/30  4,120 examples/s  epoch eta 0m41s}.
 */
public final class EpochProgress implements RoundListener {
    /** The shortest time between two lines, and before the first line of an epoch. */
    public static final long INTERVAL_MILLIS = 10_000;

    private final int epochs;
    private final long trainExamples;
    private final Clock clock;
    private final Consumer<String> out;
    private int epoch;
    private int rounds;
    private long started;
    private long lastLine;

    /**
     * @param epochs        the run's number of epochs (for the line's "epoch k/n")
     * @param trainExamples N, the examples an epoch fits (for the remaining time)
     * @param clock         the time source (a fixed one in tests)
     * @param out           where the lines go
     */
    public EpochProgress(int epochs, long trainExamples, Clock clock, Consumer<String> out) {
        if (epochs < 1 || trainExamples < 1) {
            throw new IllegalArgumentException("epochs " + epochs + " and training examples " + trainExamples
                    + " must be positive");
        }
        this.epochs = epochs;
        this.trainExamples = trainExamples;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void epochStarted(int epoch, int rounds) {
        this.epoch = epoch;
        this.rounds = rounds;
        this.started = clock.millis();
        this.lastLine = started;
    }

    @Override
    public void roundDone(int round, long examples) {
        long now = clock.millis();
        if (round >= rounds || now - lastLine < INTERVAL_MILLIS || examples <= 0) {
            return;
        }
        lastLine = now;
        double seconds = (now - started) / 1000.0;
        double rate = examples / seconds;
        double eta = Math.max(0, trainExamples - examples) / rate;
        out.accept(String.format(Locale.ROOT, "epoch %d/%d  round %d/%d  %,.0f examples/s  epoch eta %s",
                epoch + 1, epochs, round, rounds, rate, EpochMetrics.formatDuration(eta)));
    }
}
