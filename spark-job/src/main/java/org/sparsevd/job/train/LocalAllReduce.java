package org.sparsevd.job.train;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exchange of {@code --sync allreduce} in Spark's local mode, where the driver and the W tasks of a stage are
 * threads of one JVM: instead of sending every gradient through a TCP connection to the {@link AllReduceHub} and the
 * sum back, the workers add them in shared memory. Per step each worker publishes its gradient (the array it passes,
 * not a copy) and example count, waits for the others, adds its 1/W slice of the elements over the W gradients in
 * worker order, exactly as the hub does (element i is (((g0 + g1) + g2) + ...), workers without examples skipped:
 * the same bits), waits again and copies the whole sum. After the stage's last step the workers compare the digests
 * of their replicas.
 *
 * <p>As with the hub, a stage's tasks find the exchange by a random token ({@link Key}, which the stage's closure
 * carries); the newest Spark stage attempt is served and older ones are ended; a worker that fails, is interrupted
 * (Spark kills a failed barrier stage's tasks) or waits longer than the timeout ends the attempt for all of them at
 * once, and {@link #failure} says why. {@link #close} ends every waiting worker and forgets the exchange.
 */
final class LocalAllReduce implements GradientExchange.Host {
    /** The open exchanges of this JVM by token: how a task finds the one its stage names. */
    private static final Map<Long, LocalAllReduce> OPEN = new ConcurrentHashMap<>();

    /** What the stage's closure carries: the token of the driver's exchange in this JVM. */
    record Key(long token) implements GradientExchange.Point {
        @Override
        public GradientExchange join(int stageAttempt, int partition, int params) throws IOException {
            LocalAllReduce exchange = OPEN.get(token);
            if (exchange == null) {
                throw new IOException("--sync allreduce: worker " + partition + " found no exchange of its stage in "
                        + "this JVM (it has ended, or the task runs outside Spark's local mode)");
            }
            return exchange.join(stageAttempt, partition, params);
        }
    }

    private final Key key;
    private final int workers;
    private final int params;
    private final int steps;
    private final int timeoutMillis;
    private Attempt current;
    private boolean closed;
    private volatile String failure;

    /**
     * Serves the {@code workers} tasks of a stage of {@code steps} steps on a network of {@code params} parameters,
     * each of which waits at most {@code timeoutMillis} for the others.
     */
    LocalAllReduce(int workers, int params, int steps, int timeoutMillis) {
        if (workers < 1 || params < 1 || steps < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("an all-reduce exchange needs workers, parameters, steps and a timeout "
                    + "of at least 1, not " + workers + ", " + params + ", " + steps + ", " + timeoutMillis + " ms");
        }
        this.workers = workers;
        this.params = params;
        this.steps = steps;
        this.timeoutMillis = timeoutMillis;
        SecureRandom random = new SecureRandom();
        long token;
        do {
            token = random.nextLong();
        } while (OPEN.putIfAbsent(token, this) != null);
        this.key = new Key(token);
    }

    @Override
    public GradientExchange.Point point() {
        return key;
    }

    @Override
    public String failure() {
        return failure;
    }

    private synchronized GradientExchange join(int stageAttempt, int partition, int params) throws IOException {
        String refusal = closed ? "the exchange has ended"
                : partition < 0 || partition >= workers ? "worker " + partition + " of a " + workers + "-worker stage"
                : params != this.params ? "a network of " + params + " parameters, not " + this.params
                : current != null && stageAttempt < current.number ? "stage attempt " + stageAttempt
                + " has ended (now " + current.number + ")"
                : current != null && stageAttempt == current.number && current.joined[partition] ? "joined twice"
                : null;
        if (refusal != null) {
            throw new IOException("--sync allreduce: worker " + partition + " of stage attempt " + stageAttempt
                    + " refused: " + refusal);
        }
        if (current == null || stageAttempt > current.number) {
            if (current != null) {
                current.end();
            }
            current = new Attempt(stageAttempt);
        }
        current.joined[partition] = true;
        return new Member(current, partition);
    }

    /** Ends every worker still waiting and forgets the exchange. */
    @Override
    public void close() {
        OPEN.remove(key.token(), this);
        synchronized (this) {
            closed = true;
            if (current != null) {
                current.end();
            }
        }
    }

    /** One stage attempt: what its workers share, and the barrier they meet at twice a step. */
    private final class Attempt {
        final int number;
        final boolean[] joined = new boolean[workers];
        final float[][] gradients = new float[workers][];
        final int[] counts = new int[workers];
        final long[] digests = new long[workers];
        final float[] total = new float[params];
        private int arrived;
        private long generation;
        private boolean ended;
        private boolean failed;

        Attempt(int number) {
            this.number = number;
        }

        /** Waits until all W workers have called this as often as this one, or fails when the attempt has ended. */
        synchronized void await() throws IOException {
            if (ended) {
                throw new IOException("another worker failed");
            }
            long generation = this.generation;
            if (++arrived == workers) {
                arrived = 0;
                this.generation++;
                notifyAll();
                return;
            }
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (generation == this.generation && !ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    end();
                    throw new IOException("no answer within the timeout");
                }
                try {
                    wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    end();
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            if (generation == this.generation) {
                throw new IOException("another worker failed");
            }
        }

        /** Ends the attempt: every worker waiting now or later fails. */
        synchronized void end() {
            ended = true;
            notifyAll();
        }

        /** Records why the attempt failed (the first cause only) and ends it. */
        void fail(String why) {
            synchronized (this) {
                if (!failed) {
                    failed = true;
                    failure = why;
                }
            }
            end();
        }
    }

    /** One worker's side of an attempt. */
    private final class Member implements GradientExchange {
        private final Attempt attempt;
        private final int partition;
        private int step;
        private boolean done;

        Member(Attempt attempt, int partition) {
            this.attempt = attempt;
            this.partition = partition;
        }

        @Override
        public int sum(int examples, float[] gradient, float[] total) throws IOException {
            if (examples < 0 || total.length != params || examples > 0 && gradient.length != params) {
                throw new IllegalArgumentException(examples + " examples, a gradient of "
                        + (gradient == null ? "no" : gradient.length) + " and a total of " + total.length
                        + " values for a network of " + params + " parameters");
            }
            step++;
            String when = "step " + step + " of " + steps;
            if (step > steps) {
                throw failed(when, "more steps than the stage has");
            }
            attempt.counts[partition] = examples;
            attempt.gradients[partition] = examples == 0 ? null : gradient;
            await(when);
            int global = 0;
            for (int n : attempt.counts) {
                global += n;
            }
            if (global == 0) {
                throw failed(when, "no worker had examples");
            }
            int from = (int) ((long) params * partition / workers);
            int to = (int) ((long) params * (partition + 1) / workers);
            boolean first = true;
            for (float[] g : attempt.gradients) {
                if (g == null) {
                    continue;
                }
                if (first) {
                    System.arraycopy(g, from, attempt.total, from, to - from);
                    first = false;
                } else {
                    for (int i = from; i < to; i++) {
                        attempt.total[i] += g[i];
                    }
                }
            }
            await(when);
            System.arraycopy(attempt.total, 0, total, 0, params);
            return global;
        }

        @Override
        public void checkSame(long digest) throws IOException {
            String when = "the replica check after step " + step;
            if (step != steps) {
                throw failed(when, "the stage has " + steps + " steps");
            }
            attempt.digests[partition] = digest;
            await(when);
            long[] digests = attempt.digests;
            if (Arrays.stream(digests).anyMatch(d -> d != digests[0])) {
                String why = "the all-reduce replicas diverged: parameter/updater digests " + Arrays.toString(digests);
                attempt.fail(why);
                throw new IOException("--sync allreduce: " + why);
            }
            done = true;
        }

        private void await(String when) throws IOException {
            try {
                attempt.await();
            } catch (IOException e) {
                throw failed(when, e.getMessage());
            }
        }

        /** Records and returns this worker's failure at {@code when}, ending the attempt for every worker. */
        private IOException failed(String when, String what) {
            String why = "stage attempt " + attempt.number + ", " + when + ": worker " + partition + " " + what;
            if (!"another worker failed".equals(what)) {
                attempt.fail(why);
            } else {
                attempt.end();
            }
            return new IOException("--sync allreduce: " + why + " (in-JVM exchange of local mode)");
        }

        /** Leaving before the stage's end (the task failed) ends the attempt for the others at once. */
        @Override
        public void close() {
            if (!done) {
                attempt.fail("stage attempt " + attempt.number + ": worker " + partition + " ended after step "
                        + step + " of " + steps);
            }
        }
    }
}
