package org.sparsevd.job.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * One worker's connection to the stage's {@link AllReduceHub}: per step, {@link #sum} sends this worker's example
 * count and gradient and returns the sum over all workers; at the end, {@link #checkSame} compares the replicas.
 * Every failure is an {@link IOException} whose message says which worker, which step and what happened.
 */
final class AllReduceClient implements GradientExchange {
    private final AllReduceHub.Address hub;
    private final int partition;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final byte[] bytes;
    private int steps;

    /**
     * Connects worker {@code partition} of Spark stage attempt {@code stageAttempt}, whose network has
     * {@code params} parameters, to {@code hub}.
     */
    AllReduceClient(AllReduceHub.Address hub, int stageAttempt, int partition, int params) throws IOException {
        if (params < 1) {
            throw new IllegalArgumentException("a network of " + params + " parameters");
        }
        this.hub = hub;
        this.partition = partition;
        this.bytes = new byte[Float.BYTES * params];
        this.socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(hub.host(), hub.port()), hub.timeoutMillis());
            socket.setSoTimeout(hub.timeoutMillis());
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            out.writeInt(AllReduceHub.MAGIC);
            out.writeLong(hub.token());
            out.writeInt(stageAttempt);
            out.writeInt(partition);
            out.flush();
            expectAccepted();
        } catch (IOException e) {
            socket.close();
            throw failed("connecting", e);
        }
    }

    @Override
    public int sum(int examples, float[] gradient, float[] total) throws IOException {
        int params = bytes.length / Float.BYTES;
        if (examples < 0 || total.length != params || examples > 0 && gradient.length != params) {
            throw new IllegalArgumentException(examples + " examples, a gradient of "
                    + (gradient == null ? "no" : gradient.length) + " and a total of " + total.length
                    + " values for a network of " + params + " parameters");
        }
        steps++;
        try {
            out.writeInt(examples);
            if (examples > 0) {
                ByteBuffer.wrap(bytes).asFloatBuffer().put(gradient);
                out.write(bytes);
            }
            out.flush();
            int global = in.readInt();
            in.readFully(bytes);
            ByteBuffer.wrap(bytes).asFloatBuffer().get(total);
            return global;
        } catch (IOException e) {
            throw failed("step " + steps, e);
        }
    }

    @Override
    public void checkSame(long digest) throws IOException {
        try {
            out.writeLong(digest);
            out.flush();
            expectAccepted();
        } catch (IOException e) {
            throw failed("the replica check after step " + steps, e);
        }
    }

    private void expectAccepted() throws IOException {
        if (in.readInt() != AllReduceHub.ACCEPTED) {
            throw new IOException("refused: " + in.readUTF());
        }
    }

    private IOException failed(String when, IOException e) {
        return new IOException("--sync allreduce: worker " + partition + " lost the exchange with the driver's hub at "
                + hub.host() + ":" + hub.port() + " (" + when + "): " + AllReduceHub.describe(e)
                + " (the hub ends every worker's connection when one fails)", e);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
