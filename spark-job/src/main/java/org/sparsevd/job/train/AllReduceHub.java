package org.sparsevd.job.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exchange of {@code --sync allreduce}, driver side: a TCP hub that the W tasks of one barrier stage connect to
 * ({@link AllReduceClient}), in place of Spark's {@code BarrierTaskContext.allGather}, which waits for its answer
 * by sleeping a second at a time. Per step each worker sends its example count and, if not 0, its gradient's raw
 * float bits; the hub adds the gradients in worker order 0..W-1 (element i is (((g0 + g1) + g2) + ...) in float
 * arithmetic, workers without examples skipped) and sends every worker the sum and the step's example count, so
 * every replica holds the same bits. After the stage's last step each worker sends a digest of its replica, and
 * the hub answers whether all W are equal.
 *
 * <p>A connection starts with {@link Address#token} (a random number per stage, so that nothing but this stage's
 * tasks is served), the Spark stage attempt and the worker's partition. Spark re-runs a failed barrier stage whole,
 * as a new attempt: the hub serves the W connections of the newest attempt it has heard of and closes older ones.
 * When a worker fails (connection closed or reset, nothing for {@code timeout}, a bad message) the hub closes every
 * connection of the attempt, so that the other workers fail at once instead of waiting, and remembers the cause
 * ({@link #failure}). {@link #close} ends the thread and every socket.
 */
final class AllReduceHub implements GradientExchange.Host {
    static final int MAGIC = 0x53564441;
    /** The hub's answer to a hello or a digest: accepted (else a refusal, followed by the reason). */
    static final int ACCEPTED = 0;
    static final int REFUSED = 1;

    /** Where a task finds the hub, and the stage's token; what the stage's closure carries. */
    record Address(String host, int port, long token, int timeoutMillis) implements GradientExchange.Point {
        @Override
        public GradientExchange join(int stageAttempt, int partition, int params) throws IOException {
            return new AllReduceClient(this, stageAttempt, partition, params);
        }
    }

    private final ServerSocket server;
    private final Address address;
    private final int workers;
    private final int params;
    private final int steps;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String failure;

    /**
     * Listens on {@code port} (0: any free port) for the {@code workers} tasks of a stage of {@code steps} steps on a
     * network of {@code params} parameters, which reach it at {@code host}.
     */
    AllReduceHub(String host, int port, int workers, int params, int steps, int timeoutMillis) throws IOException {
        if (workers < 1 || params < 1 || steps < 1 || timeoutMillis < 1 || port < 0 || port > 65535) {
            throw new IllegalArgumentException("an all-reduce hub needs workers, parameters, steps and a timeout of at "
                    + "least 1 and a port in 0..65535, not " + workers + ", " + params + ", " + steps + ", "
                    + timeoutMillis + " ms, port " + port);
        }
        this.workers = workers;
        this.params = params;
        this.steps = steps;
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port), 2 * workers);
        } catch (IOException e) {
            server.close();
            throw new IOException("--sync allreduce cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        this.address = new Address(host, server.getLocalPort(), new SecureRandom().nextLong(), timeoutMillis);
        this.thread = new Thread(this::serve, "sparsevd-allreduce-hub-" + address.port());
        thread.setDaemon(true);
        thread.start();
    }

    Address address() {
        return address;
    }

    @Override
    public GradientExchange.Point point() {
        return address;
    }

    @Override
    public String failure() {
        return failure;
    }

    /** One worker's connection. */
    private record Peer(int partition, Socket socket, DataInputStream in, DataOutputStream out) {
    }

    private void serve() {
        Peer[] attempt = new Peer[workers];
        int current = -1;
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    failure = "the hub stopped accepting connections: " + e.getMessage();
                }
                break;
            }
            open.add(socket);
            try {
                socket.setSoTimeout(address.timeoutMillis());
                socket.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(),
                        1 << 16));
                int magic = in.readInt();
                long token = in.readLong();
                int stageAttempt = in.readInt();
                int partition = in.readInt();
                String refusal = magic != MAGIC || token != address.token() ? "a connection without this stage's token"
                        : partition < 0 || partition >= workers ? "worker " + partition + " of a " + workers
                        + "-worker stage"
                        : stageAttempt < current ? "worker " + partition + " of stage attempt " + stageAttempt
                        + ", which has ended (now " + current + ")"
                        : stageAttempt == current && attempt[partition] != null ? "worker " + partition
                        + " connected twice in stage attempt " + stageAttempt : null;
                if (refusal != null) {
                    answer(out, refusal);
                    drop(socket);
                    continue;
                }
                if (stageAttempt > current) {
                    dropAll(attempt);
                    current = stageAttempt;
                }
                answer(out, null);
                attempt[partition] = new Peer(partition, socket, in, out);
                if (Arrays.stream(attempt).allMatch(p -> p != null)) {
                    run(attempt, current);
                    dropAll(attempt);
                }
            } catch (IOException e) {
                drop(socket);
            }
        }
        dropAll(attempt);
    }

    /** Serves the steps and the digest check of one attempt whose W workers are connected. */
    private void run(Peer[] peers, int stageAttempt) {
        float[] total = new float[params];
        float[] gradient = new float[params];
        byte[] bytes = new byte[Float.BYTES * params];
        Peer peer = null;
        String what = "";
        try {
            for (int step = 0; step < steps; step++) {
                what = "step " + (step + 1) + " of " + steps;
                int examples = 0;
                for (Peer p : peers) {
                    peer = p;
                    int n = p.in().readInt();
                    if (n < 0) {
                        throw new IOException("sent a count of " + n + " examples");
                    }
                    if (n > 0) {
                        p.in().readFully(bytes);
                        ByteBuffer.wrap(bytes).asFloatBuffer().get(examples == 0 ? total : gradient);
                        if (examples > 0) {
                            for (int i = 0; i < params; i++) {
                                total[i] += gradient[i];
                            }
                        }
                        examples += n;
                    }
                }
                peer = null;
                if (examples == 0) {
                    throw new IOException("no worker had examples");
                }
                ByteBuffer.wrap(bytes).asFloatBuffer().put(total);
                for (Peer p : peers) {
                    peer = p;
                    p.out().writeInt(examples);
                    p.out().write(bytes);
                    p.out().flush();
                }
            }
            what = "the replica check after step " + steps;
            long[] digests = new long[workers];
            for (Peer p : peers) {
                peer = p;
                digests[p.partition()] = p.in().readLong();
            }
            peer = null;
            boolean same = Arrays.stream(digests).allMatch(d -> d == digests[0]);
            String refusal = same ? null : "the all-reduce replicas diverged: parameter/updater digests "
                    + Arrays.toString(digests);
            if (!same) {
                failure = refusal;
            }
            for (Peer p : peers) {
                peer = p;
                answer(p.out(), refusal);
            }
        } catch (IOException e) {
            if (closed) {
                return;
            }
            failure = "stage attempt " + stageAttempt + ", " + what + ": "
                    + (peer == null ? "" : "worker " + peer.partition() + " ") + describe(e);
        }
    }

    /** What went wrong with a connection, in a few words. */
    static String describe(IOException e) {
        if (e instanceof EOFException) {
            return "connection closed";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer within the timeout";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void answer(DataOutputStream out, String refusal) throws IOException {
        out.writeInt(refusal == null ? ACCEPTED : REFUSED);
        if (refusal != null) {
            out.writeUTF(refusal);
        }
        out.flush();
    }

    private void dropAll(Peer[] peers) {
        for (int i = 0; i < peers.length; i++) {
            if (peers[i] != null) {
                drop(peers[i].socket());
                peers[i] = null;
            }
        }
    }

    private void drop(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }

    /** Stops the hub: its listening socket, every connection and its thread. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing: the thread sees the socket closed either way
        }
        for (Socket s : open) {
            drop(s);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
