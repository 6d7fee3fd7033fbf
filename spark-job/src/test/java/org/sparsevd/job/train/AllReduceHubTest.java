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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The all-reduce hub and its clients, without Spark: worker threads of this JVM on the loopback interface. */
class AllReduceHubTest {
    private static final int PARAMS = 1000;
    private final ExchangeWorkers threads = new ExchangeWorkers(PARAMS);

    @AfterEach
    void stop() {
        threads.close();
    }

    /**
     * Three workers, three steps (worker 1 has no examples in the last): every worker gets the float sum in worker
     * order, (g0 + g1) + g2 bit for bit, skipping a worker without examples, and the step's example count.
     */
    @Test
    void everyWorkerGetsTheSumInWorkerOrder() throws Exception {
        int workers = 3;
        int steps = 3;
        float[][][] gradients = ExchangeWorkers.gradients(new Random(7), workers, steps, PARAMS);
        int[][] examples = {{50, 50, 50}, {50, 50, 0}, {50, 50, 20}};
        try (AllReduceHub hub = new AllReduceHub("localhost", 0, workers, PARAMS, steps, 60_000)) {
            List<Future<float[][]>> results = new ArrayList<>();
            int[][] counts = new int[workers][steps];
            for (int w = workers - 1; w >= 0; w--) {
                int me = w;
                results.add(0, threads.start(hub.address(), 0, me, client -> {
                    float[][] totals = new float[steps][PARAMS];
                    for (int s = 0; s < steps; s++) {
                        counts[me][s] = client.sum(examples[me][s], examples[me][s] == 0 ? null : gradients[me][s],
                                totals[s]);
                    }
                    client.checkSame(42);
                    return totals;
                }));
            }
            for (int s = 0; s < steps; s++) {
                float[] expected = new float[PARAMS];
                int n = 0;
                for (int w = 0; w < workers; w++) {
                    if (examples[w][s] > 0) {
                        for (int i = 0; i < PARAMS; i++) {
                            expected[i] = n == 0 ? gradients[w][s][i] : expected[i] + gradients[w][s][i];
                        }
                        n += examples[w][s];
                    }
                }
                int[] bits = bits(expected);
                for (int w = 0; w < workers; w++) {
                    assertArrayEquals(bits, bits(results.get(w).get()[s]), "worker " + w + ", step " + s);
                    assertEquals(n, counts[w][s], "examples of step " + s);
                }
            }
            float[] reversed = gradients[2][0].clone();
            for (int i = 0; i < PARAMS; i++) {
                reversed[i] = (reversed[i] + gradients[1][0][i]) + gradients[0][0][i];
            }
            assertTrue(!java.util.Arrays.equals(bits(reversed), bits(results.get(0).get()[0])),
                    "the test's gradients tell the worker order from another");
            assertNull(hub.failure());
        }
    }

    /**
     * A worker that disconnects in the middle of a step (after its count, before its gradient): the other worker
     * fails at once with a one-line message, the hub says which worker failed in which step, and closing the hub
     * ends its thread.
     */
    @Test
    void aWorkerThatDisconnectsMidStepFailsTheOthers() throws Exception {
        AllReduceHub hub = new AllReduceHub("localhost", 0, 2, PARAMS, 5, 60_000);
        try {
            Future<float[][]> survivor = threads.start(hub.address(), 0, 0, client -> {
                float[] total = new float[PARAMS];
                for (int s = 0; s < 5; s++) {
                    client.sum(10, new float[PARAMS], total);
                }
                return null;
            });
            Future<float[][]> quitter = threads.submit(() -> {
                try (java.net.Socket raw = new java.net.Socket("localhost", hub.address().port());
                     var out = new java.io.DataOutputStream(raw.getOutputStream())) {
                    out.writeInt(AllReduceHub.MAGIC);
                    out.writeLong(hub.address().token());
                    out.writeInt(0);
                    out.writeInt(1);
                    out.writeInt(10);
                    out.write(new byte[100]);
                    out.flush();
                    assertEquals(AllReduceHub.ACCEPTED, new java.io.DataInputStream(raw.getInputStream()).readInt());
                }
                return null;
            });
            quitter.get();
            ExecutionException e = assertThrows(ExecutionException.class, survivor::get);
            String message = e.getCause().getMessage();
            assertTrue(message.startsWith("--sync allreduce: worker 0 lost the exchange with the driver's hub at "
                    + "localhost:" + hub.address().port() + " (step 1): connection closed"), message);
            assertEquals(1, message.lines().count(), message);
            assertEquals("stage attempt 0, step 1 of 5: worker 1 connection closed", hub.failure());
        } finally {
            hub.close();
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("sparsevd-allreduce-hub-" + hub.address().port())),
                "the hub's thread ended");
    }

    /** A connection with another token is refused, and the stage's own workers are still served. */
    @Test
    void aConnectionWithoutTheTokenIsRefused() throws Exception {
        try (AllReduceHub hub = new AllReduceHub("localhost", 0, 1, PARAMS, 1, 60_000)) {
            AllReduceHub.Address wrong = new AllReduceHub.Address("localhost", hub.address().port(),
                    hub.address().token() + 1, 60_000);
            IOException e = assertThrows(IOException.class, () -> new AllReduceClient(wrong, 0, 0, PARAMS));
            assertTrue(e.getMessage().endsWith("(connecting): refused: a connection without this stage's token "
                    + "(the hub ends every worker's connection when one fails)"), e.getMessage());
            float[] total = new float[PARAMS];
            float[] one = new float[PARAMS];
            one[3] = 1.5f;
            assertEquals(7, threads.start(hub.address(), 0, 0, client -> {
                int n = client.sum(7, one, total);
                client.checkSame(1);
                return new float[][] {{n}};
            }).get()[0][0]);
            assertEquals(1.5f, total[3]);
        }
    }

    /**
     * Spark re-runs a failed barrier stage as a new attempt: the hub drops the workers of the older attempt that had
     * connected, serves the new attempt, and refuses a late worker of the old one.
     */
    @Test
    void aNewStageAttemptReplacesTheOldOne() throws Exception {
        try (AllReduceHub hub = new AllReduceHub("localhost", 0, 2, PARAMS, 1, 60_000)) {
            Future<float[][]> old = threads.start(hub.address(), 0, 0, client -> {
                client.sum(1, new float[PARAMS], new float[PARAMS]);
                return null;
            });
            Thread.sleep(200);
            List<Future<float[][]>> retry = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                retry.add(threads.start(hub.address(), 1, w, client -> {
                    float[] total = new float[PARAMS];
                    client.sum(3, new float[PARAMS], total);
                    client.checkSame(9);
                    return null;
                }));
            }
            for (Future<float[][]> f : retry) {
                f.get();
            }
            ExecutionException e = assertThrows(ExecutionException.class, old::get);
            assertTrue(e.getCause().getMessage().contains("worker 0 lost the exchange"), e.getCause().getMessage());
            IOException late = assertThrows(IOException.class,
                    () -> new AllReduceClient(hub.address(), 0, 1, PARAMS));
            assertTrue(late.getMessage().contains("refused: worker 1 of stage attempt 0, which has ended (now 1)"),
                    late.getMessage());
        }
    }

    /** Replicas that end a stage with different digests fail it on every worker. */
    @Test
    void replicasThatDivergedFailTheStage() throws Exception {
        try (AllReduceHub hub = new AllReduceHub("localhost", 0, 2, PARAMS, 1, 60_000)) {
            List<Future<float[][]>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                long digest = w;
                workers.add(threads.start(hub.address(), 0, w, client -> {
                    client.sum(1, new float[PARAMS], new float[PARAMS]);
                    client.checkSame(digest);
                    return null;
                }));
            }
            for (Future<float[][]> f : workers) {
                ExecutionException e = assertThrows(ExecutionException.class, f::get);
                assertTrue(e.getCause().getMessage().contains(
                        "refused: the all-reduce replicas diverged: parameter/updater digests [0, 1]"),
                        e.getCause().getMessage());
            }
            assertEquals("the all-reduce replicas diverged: parameter/updater digests [0, 1]", hub.failure());
        }
    }
}
