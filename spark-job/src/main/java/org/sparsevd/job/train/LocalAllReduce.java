package org.sparsevd.job.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.sparsevd.core.optim.StepShards;

/**
 * An all-reduce stage ({@link AllReduceStage}) in Spark's local mode, where the driver and the W tasks of a stage are
 * threads of one JVM, so that nothing needs to be serialized or sent:
 * <ul>
 *   <li>the tasks build their replicas from the driver's network itself (the object a Spark broadcast of it hands
 *       the tasks of this JVM, without first serializing it into the broadcast's blocks);</li>
 *   <li>task 0 hands its result back as it is, not as a Java-serialized task result;</li>
 *   <li>the workers add their gradients in shared memory instead of sending each through a TCP connection to the
 *       {@link AllReduceHub} and the sum back (with one worker there is nothing to add, and the stage does not
 *       join). With the fused kernels ({@link GradientExchange.Sharded}) each worker publishes its replica's
 *       {@link StepShards} and example count and waits for the others; then each adds the W gradients over its own
 *       shard of the parameters into its own gradient view, takes its shard's KL gradient, Adam step and update,
 *       waits again and copies the other shards' parameters and KL block sums from their workers' replicas (after
 *       the last step, their Adam state too). Otherwise each publishes its gradient (the array it passes, not a
 *       copy) and, with two workers, adds both gradients over all elements into its own total and goes on; with
 *       more, each adds its 1/W slice of the elements over the W gradients into a shared total, waits again and
 *       copies the whole sum ({@link #ONE_MEETING_WORKERS}). Either way in worker order, exactly as the hub does
 *       (element i is (((g0 + g1) + g2) + ...), workers without examples skipped: the same bits). After the stage's
 *       last step the workers compare the digests of their replicas.</li>
 * </ul>
 * The bits are those of a broadcast, the hub and a serialized result (SparkTrainerTest compares them). The tasks
 * find the stage in a static map, so they must see the driver's classes: with
 * {@code spark.executor.userClassPathFirst} (classes of their own) {@link AllReduceRounds} takes the cluster path.
 *
 * <p>As with the hub, a stage's tasks find it by a random token ({@link Key}, which the stage's closure carries);
 * the newest Spark stage attempt is served and older ones are ended; a worker that fails, is interrupted (Spark kills
 * a failed barrier stage's tasks) or waits longer than the timeout ends the attempt for all of them at once, and
 * {@link #failure} says why. {@link #close} ends every waiting worker and forgets the stage.
 */
final class LocalAllReduce implements GradientExchange.Host {
    /** The open stages of this JVM by token: how a task finds the one its closure names. */
    private static final Map<Long, LocalAllReduce> OPEN = new ConcurrentHashMap<>();
    /** How long a worker at the barrier spins before it waits on the monitor. */
    static final long SPIN_NANOS = 500_000;
    /**
     * Up to this many workers each adds all W gradients itself, and the workers meet once a step; with more, each
     * adds its 1/W slice and they meet a second time before copying the sum. Per worker and step, in gradients read
     * or written: W + 1 against 1 + 1/W + 2 (the slice's sum, then copying the whole): 3 against 3.5 at W = 2, 4
     * against 3.3 at W = 3, so the one meeting saves the second wait at no cost only for two workers
     * (BENCHMARKS.md, "One meeting a step for two workers").
     */
    static final int ONE_MEETING_WORKERS = 2;

    /** What the stage's closure carries: the token of the driver's stage in this JVM. */
    record Key(long token) implements GradientExchange.Point, AllReduceStage.State {
        @Override
        public GradientExchange join(int stageAttempt, int partition, int params) throws IOException {
            return stage("worker " + partition).join(stageAttempt, partition, params);
        }

        @Override
        public NetBroadcastTuple network() {
            return uncheckedStage("a task").start;
        }

        @Override
        public List<AllReduceStage.Result> handBack(AllReduceStage.Result result) {
            uncheckedStage("task 0").result = result;
            return List.of();
        }

        private LocalAllReduce stage(String who) throws IOException {
            LocalAllReduce stage = OPEN.get(token);
            if (stage == null) {
                throw new IOException("--sync allreduce: " + who + " found no all-reduce stage of its own in this JVM "
                        + "(it has ended, or the task runs outside Spark's local mode)");
            }
            return stage;
        }

        private LocalAllReduce uncheckedStage(String who) {
            try {
                return stage(who);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
    }

    private final Key key;
    private final NetBroadcastTuple start;
    private volatile AllReduceStage.Result result;
    private final int workers;
    /** Whether a waiting worker spins first: only when every worker has a core of its own. */
    private final boolean spins;
    private final int params;
    private final int steps;
    private final int timeoutMillis;
    private Attempt current;
    private boolean closed;
    private volatile String failure;

    /**
     * Serves the {@code workers} tasks of a stage of {@code steps} steps that start from {@code start} (the driver's
     * configuration, parameters and updater state, which the stage must not change), each of which waits at most
     * {@code timeoutMillis} for the others.
     */
    LocalAllReduce(NetBroadcastTuple start, int workers, int steps, int timeoutMillis) {
        int params = (int) start.getParameters().length();
        if (workers < 1 || params < 1 || steps < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("an all-reduce exchange needs workers, parameters, steps and a timeout "
                    + "of at least 1, not " + workers + ", " + params + ", " + steps + ", " + timeoutMillis + " ms");
        }
        this.start = start;
        this.workers = workers;
        this.spins = workers <= Runtime.getRuntime().availableProcessors();
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

    /** What the stage's tasks start from and hand their result to. */
    AllReduceStage.State state() {
        return key;
    }

    /** Task 0's result, once the stage has handed it back (else {@code null}). */
    AllReduceStage.Result result() {
        return result;
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

    /**
     * One stage attempt: what its workers share, and the barrier they meet at once or twice a step. The gradients
     * and counts of consecutive steps take turns in two slots: with one meeting a step a worker may publish its next
     * step's while another still adds up this one's (it cannot get two steps ahead: the next meeting waits for all).
     */
    private final class Attempt {
        final int number;
        final boolean[] joined = new boolean[workers];
        final float[][][] gradients = new float[2][workers][];
        final int[][] counts = new int[2][workers];
        final long[] digests = new long[workers];
        /** Each worker's shards of its replica's steps, once it has summed a shard ({@link Member#sumShard}). */
        final StepShards[] stepShards = new StepShards[workers];
        /** The shared sum of the slices, with more than {@link #ONE_MEETING_WORKERS} workers. */
        final float[] total = workers > ONE_MEETING_WORKERS ? new float[params] : null;
        private int arrived;
        private volatile long generation;
        private volatile boolean ended;
        private boolean failed;

        Attempt(int number) {
            this.number = number;
        }

        /**
         * Waits until all W workers have called this as often as this one, or fails when the attempt has ended. A
         * worker that is not the last first spins for up to {@link #SPIN_NANOS} when every worker has a core of its
         * own ({@link #spins}), then waits on the monitor: the barrier is met twice a step, and the other worker usually
         * arrives within that time, sooner than a parked thread is woken again (BENCHMARKS.md, "The noise step fused, the exchange's barrier spinning":
         * 0.05-0.3 ms a step less on this project's VM). Spinning changes no arithmetic.
         */
        void await() throws IOException {
            long generation = arrive();
            if (generation < 0) {
                return;
            }
            if (spins) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (generation == this.generation && !ended && System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                }
            }
            awaitGeneration(generation);
        }

        /**
         * Counts this worker in: the generation it must wait to see end, or -1 if it was the last to arrive (which
         * ends the generation and wakes the others).
         */
        private synchronized long arrive() throws IOException {
            if (ended) {
                throw new IOException("another worker failed");
            }
            long generation = this.generation;
            if (++arrived == workers) {
                arrived = 0;
                this.generation++;
                notifyAll();
                return -1;
            }
            return generation;
        }

        /** Waits on the monitor until {@code generation} has ended, the attempt has ended or the timeout passed. */
        private synchronized void awaitGeneration(long generation) throws IOException {
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
    private final class Member implements GradientExchange.Sharded {
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
            String when = nextStep();
            int slot = step & 1;
            attempt.gradients[slot][partition] = examples == 0 ? null : gradient;
            int global = meet(when, examples);
            if (attempt.total == null) {
                addInOrder(attempt.gradients[slot], total, 0, params);
            } else {
                addInOrder(attempt.gradients[slot], attempt.total, (int) ((long) params * partition / workers),
                        (int) ((long) params * (partition + 1) / workers));
                await(when);
                System.arraycopy(attempt.total, 0, total, 0, params);
            }
            return global;
        }

        @Override
        public int workers() {
            return workers;
        }

        @Override
        public int sumShard(int examples, StepShards shards) throws IOException {
            if (examples < 0 || shards.shards() != workers) {
                throw new IllegalArgumentException(examples + " examples and " + shards.shards() + " shards for a "
                        + workers + "-worker stage");
            }
            String when = nextStep();
            attempt.stepShards[partition] = shards;
            int global = meet(when, examples);
            boolean[] counted = new boolean[workers];
            for (int w = 0; w < workers; w++) {
                counted[w] = attempt.counts[step & 1][w] > 0;
            }
            shards.sumGradients(attempt.stepShards, counted, partition);
            return global;
        }

        /** Counts the next step: what a failure in it is called. */
        private String nextStep() throws IOException {
            step++;
            String when = "step " + step + " of " + steps;
            if (step > steps) {
                throw failed(when, "more steps than the stage has");
            }
            return when;
        }

        /**
         * Publishes this worker's {@code examples} of the step (after its share) and waits for the others': the
         * examples of the whole step.
         */
        private int meet(String when, int examples) throws IOException {
            int[] counts = attempt.counts[step & 1];
            counts[partition] = examples;
            await(when);
            int global = 0;
            for (int n : counts) {
                global += n;
            }
            if (global == 0) {
                throw failed(when, "no worker had examples");
            }
            return global;
        }

        @Override
        public void gatherShards() throws IOException {
            await("the update of step " + step + " of " + steps);
            StepShards mine = attempt.stepShards[partition];
            for (int w = 0; w < workers; w++) {
                if (w != partition) {
                    mine.copyShard(attempt.stepShards[w], w);
                }
            }
        }

        @Override
        public void gatherState() {
            StepShards mine = attempt.stepShards[partition];
            for (int w = 0; w < workers; w++) {
                if (w != partition) {
                    mine.copyShardState(attempt.stepShards[w], w);
                }
            }
        }

        /**
         * Sets elements {@code from} to {@code to} (exclusive) of {@code sum} to the sum of {@code gradients}' in
         * worker order, the absent ({@code null}) ones skipped.
         */
        private static void addInOrder(float[][] gradients, float[] sum, int from, int to) {
            boolean first = true;
            for (float[] g : gradients) {
                if (g == null) {
                    continue;
                }
                if (first) {
                    System.arraycopy(g, from, sum, from, to - from);
                    first = false;
                } else {
                    for (int i = from; i < to; i++) {
                        sum[i] += g[i];
                    }
                }
            }
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
