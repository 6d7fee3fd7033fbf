package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress lines' rate limit and content, on a hand-driven clock (nothing sleeps). */
class EpochProgressTest {
    /** A clock that moves only when told. */
    private static final class ManualClock extends Clock {
        private long millis;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private final ManualClock clock = new ManualClock();
    private final List<String> lines = new ArrayList<>();

    /** Runs an epoch of {@code rounds} rounds of {@code millisPerRound}, 1,000 examples each. */
    private List<String> epoch(EpochProgress progress, int epoch, int rounds, long millisPerRound) {
        lines.clear();
        progress.epochStarted(epoch, rounds);
        for (int r = 1; r <= rounds; r++) {
            clock.advance(millisPerRound);
            progress.roundDone(r, 1000L * r);
        }
        return List.copyOf(lines);
    }

    @Test
    void oneLineEveryTenSecondsWithRoundRateAndEta() {
        EpochProgress progress = new EpochProgress(20, 30_000, clock, lines::add);
        List<String> out = epoch(progress, 2, 30, 1000);
        assertEquals(List.of(
                "epoch 3/20  round 10/30  1,000 examples/s  epoch eta 0m20s",
                "epoch 3/20  round 20/30  1,000 examples/s  epoch eta 0m10s"), out,
                "none at the last round: the epoch's own line follows");
    }

    @Test
    void atMostOneLinePerIntervalWhateverTheRoundLength() {
        EpochProgress progress = new EpochProgress(1, 100_000, clock, lines::add);
        // Rounds of 4 s: lines after 12 s (round 3), 24 s (round 6), 36 s (round 9): 12 s apart, never closer.
        List<String> out = epoch(progress, 0, 10, 4000);
        assertEquals(3, out.size(), out.toString());
        assertEquals("epoch 1/1  round 3/10  250 examples/s  epoch eta 6m28s", out.get(0));
        // Rounds of 25 s: a line after every round but the last.
        assertEquals(3, epoch(progress, 0, 4, 25_000).size());
    }

    @Test
    void anEpochShorterThanTheIntervalPrintsNothing() {
        EpochProgress progress = new EpochProgress(5, 10_000, clock, lines::add);
        assertEquals(List.of(), epoch(progress, 0, 5, 1999), "9.995 s");
        assertEquals(List.of(), epoch(progress, 1, 1, 60_000), "one round: the epoch line follows at once");
        // The interval restarts with every epoch: a long previous epoch does not let the next one print early.
        epoch(progress, 2, 30, 1000);
        assertEquals(List.of(), epoch(progress, 3, 9, 1000));
    }

    @Test
    void rejectsANonsensicalRun() {
        assertThrows(IllegalArgumentException.class, () -> new EpochProgress(0, 10, clock, lines::add));
        assertThrows(IllegalArgumentException.class, () -> new EpochProgress(3, 0, clock, lines::add));
    }
}
