package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsevd.job.train.ExchangeWorkers.bits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.optim.StepShards;

/** Local mode's in-JVM exchange, without Spark: the hub's bits, and its failures end every worker at once. */
class LocalAllReduceTest {
    private static final int PARAMS = 1001;
    /** A stage's starting point: only its parameter count matters here. */
    private static final NetBroadcastTuple START = new NetBroadcastTuple((MultiLayerConfiguration) null,
            Nd4j.zeros(DataType.FLOAT, PARAMS), null);
    private final ExchangeWorkers threads = new ExchangeWorkers(PARAMS);
    /** The example counts of three workers' three steps: worker 1 has none in the last. */
    private static final int[][] THREE_WORKERS_EXAMPLES = {{50, 50, 50}, {50, 50, 0}, {50, 50, 20}};

    @AfterEach
    void stop() {
        threads.close();
    }

    /**
     * The {@link AllReduceHubTest} case through both exchanges: three workers, three steps, worker 1 without
     * examples in the last; every worker gets the same total bits and example counts from the in-JVM exchange as
     * from the TCP hub.
     */
    @Test
    void everyWorkerGetsTheHubsBits() throws Exception {
        int workers = 3;
        int steps = 3;
        float[][][] gradients = ExchangeWorkers.gradients(new Random(7), workers, steps, PARAMS);
        int[][] examples = THREE_WORKERS_EXAMPLES;
        List<List<float[][]>> both = new ArrayList<>();
        List<int[][]> counts = new ArrayList<>();
        try (AllReduceHub hub = new AllReduceHub("localhost", 0, workers, PARAMS, steps, 60_000);
             LocalAllReduce local = new LocalAllReduce(START, workers, steps, 60_000)) {
            for (GradientExchange.Host host : List.of(hub, local)) {
                int[][] n = new int[workers][steps];
                List<Future<float[][]>> futures = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    int me = w;
                    futures.add(threads.start(host.point(), 0, me, exchange -> {
                        float[][] totals = new float[steps][PARAMS];
                        float[] mine = new float[PARAMS];
                        for (int s = 0; s < steps; s++) {
                            System.arraycopy(gradients[me][s], 0, mine, 0, PARAMS);
                            n[me][s] = exchange.sum(examples[me][s], examples[me][s] == 0 ? null : mine, totals[s]);
                        }
                        exchange.checkSame(42);
                        return totals;
                    }));
                }
                List<float[][]> totals = new ArrayList<>();
                for (Future<float[][]> f : futures) {
                    totals.add(f.get(60, TimeUnit.SECONDS));
                }
                both.add(totals);
                counts.add(n);
                assertNull(host.failure());
            }
        }
        for (int w = 0; w < workers; w++) {
            for (int s = 0; s < steps; s++) {
                assertArrayEquals(bits(both.get(0).get(w)[s]), bits(both.get(1).get(w)[s]),
                        "worker " + w + " step " + s);
            }
            assertArrayEquals(counts.get(0)[w], counts.get(1)[w]);
        }
        assertEquals(70, counts.get(1)[0][2], "the last step: 50 + 20 examples, none from worker 1");
    }

    /**
     * With the fused kernels each worker sums, updates and hands over its own shard ({@link GradientExchange.Sharded}):
     * three workers over three steps of a Sparse VD LeNet-300-100 (worker 1 without examples in the last) end with
     * the parameter and Adam-state bits of one replica that sums the same gradients in worker order and takes the
     * whole step itself, and agree on every example count.
     */
    @Test
    void threeWorkersEachUpdateTheirShardAndEndWithOneReplicasBits() throws Exception {
        int workers = 3;
        int steps = 3;
        MultiLayerConfiguration conf = Lenet300.sparseVd(ArchitectureSettings.defaults(1000).withKlWeight(0.5)
                .withLearningRate(0.01));
        MultiLayerNetwork whole = network(conf);
        int params = (int) whole.numParams();
        float[][][] gradients = ExchangeWorkers.gradients(new Random(5), workers, steps, params);
        int[][] examples = THREE_WORKERS_EXAMPLES;
        StepShards one = new StepShards(whole, 1);
        one.klTermByCaller(true);
        for (int s = 0; s < steps; s++) {
            float[] sum = null;
            int global = 0;
            for (int w = 0; w < workers; w++) {
                if (examples[w][s] > 0) {
                    global += examples[w][s];
                    if (sum == null) {
                        sum = gradients[w][s].clone();
                    } else {
                        for (int i = 0; i < params; i++) {
                            sum[i] += gradients[w][s][i];
                        }
                    }
                }
            }
            whole.getGradientsViewArray().assign(Nd4j.createFromArray(sum).reshape(1, params));
            one.update(0, global, s, 0);
        }
        int[][] counts = new int[workers][steps];
        try (ExchangeWorkers threads = new ExchangeWorkers(params);
             LocalAllReduce local = new LocalAllReduce(new NetBroadcastTuple(conf, whole.params(), null), workers,
                     steps, 60_000)) {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int me = w;
                futures.add(threads.start(local.point(), 0, me, exchange -> {
                    GradientExchange.Sharded shared = (GradientExchange.Sharded) exchange;
                    MultiLayerNetwork replica = network(conf);
                    StepShards shards = new StepShards(replica, shared.workers());
                    shards.klTermByCaller(true);
                    for (int s = 0; s < steps; s++) {
                        replica.getGradientsViewArray().assign(Nd4j.createFromArray(gradients[me][s])
                                .reshape(1, params));
                        counts[me][s] = shared.sumShard(examples[me][s], shards);
                        shards.update(me, counts[me][s], s, 0);
                        shared.gatherShards();
                    }
                    shared.gatherState();
                    exchange.checkSame(42);
                    return new float[][] {replica.params().toFloatVector(),
                            replica.getUpdater().getStateViewArray().toFloatVector()};
                }));
            }
            for (int w = 0; w < workers; w++) {
                float[][] state = futures.get(w).get(60, TimeUnit.SECONDS);
                assertArrayEquals(bits(whole.params().toFloatVector()), bits(state[0]), "parameters, worker " + w);
                assertArrayEquals(bits(whole.getUpdater().getStateViewArray().toFloatVector()), bits(state[1]),
                        "Adam state, worker " + w);
                assertArrayEquals(new int[] {150, 150, 70}, counts[w], "worker " + w);
            }
            assertNull(local.failure());
        }
    }

    private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
        net.init();
        return net;
    }

    /**
     * Two workers meet once a step ({@link LocalAllReduce#ONE_MEETING_WORKERS}), so one may publish its next step's
     * gradient while the other still adds up this one's: over 300 steps with random pauses at random places, every
     * worker's every total is g0 + g1 of that step to the bit (g0 alone where worker 1 has no examples), and every
     * example count that step's. Each worker fills its next array only right before its next call, as
     * {@link AllReduceStage} does, so an exchange that read a step's arrays or counts after the meeting of the next
     * would add the wrong step's.
     */
    @Test
    void twoWorkersMeetOnceAStepAndAddTheirOwnStep() throws Exception {
        int steps = 300;
        Random random = new Random(11);
        float[][][] gradients = new float[2][steps][];
        int[][] examples = new int[2][steps];
        for (int s = 0; s < steps; s++) {
            for (int w = 0; w < 2; w++) {
                gradients[w][s] = ExchangeWorkers.gradient(random, PARAMS);
                examples[w][s] = w == 1 && s % 7 == 3 ? 0 : 1 + random.nextInt(50);
            }
        }
        try (LocalAllReduce local = new LocalAllReduce(START, 2, steps, 60_000)) {
            List<Future<float[][]>> futures = new ArrayList<>();
            int[][] counts = new int[2][steps];
            for (int w = 0; w < 2; w++) {
                int me = w;
                futures.add(threads.start(local.point(), 0, me, exchange -> {
                    Random pauses = new Random(me);
                    float[][] mine = new float[2][PARAMS];
                    float[][] totals = new float[steps][PARAMS];
                    for (int s = 0; s < steps; s++) {
                        pause(pauses);
                        System.arraycopy(gradients[me][s], 0, mine[s & 1], 0, PARAMS);
                        counts[me][s] = exchange.sum(examples[me][s], examples[me][s] == 0 ? null : mine[s & 1],
                                totals[s]);
                        pause(pauses);
                    }
                    exchange.checkSame(1);
                    return totals;
                }));
            }
            for (int w = 0; w < 2; w++) {
                float[][] totals = futures.get(w).get(60, TimeUnit.SECONDS);
                for (int s = 0; s < steps; s++) {
                    float[] expected = gradients[0][s].clone();
                    if (examples[1][s] > 0) {
                        for (int i = 0; i < PARAMS; i++) {
                            expected[i] += gradients[1][s][i];
                        }
                    }
                    assertArrayEquals(bits(expected), bits(totals[s]), "worker " + w + " step " + s);
                    assertEquals(examples[0][s] + examples[1][s], counts[w][s], "worker " + w + " step " + s);
                }
            }
            assertNull(local.failure());
        }
    }

    /** Sometimes nothing, sometimes up to 0.3 ms of pause: the two workers overtake each other at random. */
    private static void pause(Random random) {
        if (random.nextBoolean()) {
            java.util.concurrent.locks.LockSupport.parkNanos(random.nextInt(300_000));
        }
    }

    /**
     * A worker whose task fails after 2 of 5 steps (it leaves the exchange): the other, waiting in step 3, fails at
     * once (long before the 10-minute timeout) with one line, and the exchange says which worker left when.
     */
    @Test
    void aWorkerThatLeavesEndsTheOthers() throws Exception {
        try (LocalAllReduce local = new LocalAllReduce(START, 2, 5, 600_000)) {
            Future<float[][]> survivor = threads.start(local.point(), 0, 0, exchange -> {
                float[] total = new float[PARAMS];
                for (int s = 0; s < 5; s++) {
                    exchange.sum(10, new float[PARAMS], total);
                }
                return null;
            });
            Future<float[][]> quitter = threads.start(local.point(), 0, 1, exchange -> {
                float[] total = new float[PARAMS];
                for (int s = 0; s < 2; s++) {
                    exchange.sum(10, new float[PARAMS], total);
                }
                return null;
            });
            assertNull(quitter.get(60, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class, () -> survivor.get(60, TimeUnit.SECONDS));
            String message = e.getCause().getMessage();
            assertTrue(message.startsWith("--sync allreduce: stage attempt 0, step 3 of 5: worker 0 another worker "
                    + "failed"), message);
            assertTrue(!message.contains("\n"), message);
            assertEquals("stage attempt 0: worker 1 ended after step 2 of 5", local.failure());
        }
    }

    /**
     * Spark re-runs a failed barrier stage as a new attempt: its workers are served from a fresh start, a worker of
     * the old attempt still waiting fails, and one that joins late is refused.
     */
    @Test
    void aNewStageAttemptEndsTheOldOne() throws Exception {
        try (LocalAllReduce local = new LocalAllReduce(START, 2, 1, 600_000)) {
            GradientExchange old = local.point().join(0, 0, PARAMS);
            Future<float[][]> stale = threads.submit(() -> {
                try (old) {
                    old.sum(1, new float[PARAMS], new float[PARAMS]);
                    return null;
                }
            });
            List<Future<float[][]>> retry = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                float[] g = new float[PARAMS];
                g[0] = w + 1;
                retry.add(threads.start(local.point(), 1, w, exchange -> {
                    float[] total = new float[PARAMS];
                    assertEquals(2, exchange.sum(1, g, total));
                    exchange.checkSame(7);
                    return new float[][] {total};
                }));
            }
            for (Future<float[][]> f : retry) {
                assertEquals(3f, f.get(60, TimeUnit.SECONDS)[0][0], "the new attempt's sum");
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> stale.get(60, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("stage attempt 0, step 1 of 1: worker 0"),
                    e.getCause().getMessage());
            IOException late = assertThrows(IOException.class, () -> local.point().join(0, 1, PARAMS));
            assertEquals("--sync allreduce: worker 1 of stage attempt 0 refused: stage attempt 0 has ended (now 1)",
                    late.getMessage());
        }
    }

    /**
     * The tasks start from the driver's own arrays and hand task 0's result back as it is; a closed stage is
     * forgotten: a task that looks for it fails with one line.
     */
    @Test
    void theStateIsSharedAndAClosedStageIsGone() {
        LocalAllReduce local = new LocalAllReduce(START, 2, 1, 600_000);
        AllReduceStage.State state = local.state();
        assertTrue(state.network() == START, "the driver's network itself");
        AllReduceStage.Result result = new AllReduceStage.Result(null, null, 3);
        assertEquals(List.of(), state.handBack(result), "nothing returned through Spark");
        assertTrue(local.result() == result);
        GradientExchange.Point point = local.point();
        local.close();
        IOException e = assertThrows(IOException.class, () -> point.join(0, 0, PARAMS));
        assertEquals("--sync allreduce: worker 0 found no all-reduce stage of its own in this JVM (it has ended, or "
                + "the task runs outside Spark's local mode)", e.getMessage());
        assertThrows(java.io.UncheckedIOException.class, state::network);
    }
}
