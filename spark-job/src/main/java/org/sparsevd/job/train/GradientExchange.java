package org.sparsevd.job.train;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import org.sparsevd.core.optim.StepShards;

/**
 * One worker's side of the gradient sum of an all-reduce stage ({@link AllReduceStage}): through the driver's
 * {@link AllReduceHub} ({@link AllReduceClient}), or in the memory of the one JVM that runs the driver and the tasks
 * in Spark's local mode ({@link LocalAllReduce}). Both add the W gradients in worker order, so both give the same
 * bits. Every failure is an {@link IOException} whose message says which worker, which step and what happened.
 */
interface GradientExchange extends Closeable {
    /**
     * Sends this worker's share of a step, {@code examples} examples (0: none) and their {@code gradient}, and sets
     * {@code total} to the sum of all workers' gradients in worker order ({@code gradient} is not read, and may be
     * {@code null}, when {@code examples} is 0). The exchange may read {@code gradient} until this worker's next call
     * of {@code sum} has returned (in local mode the other workers add it up in their own time): a worker passes two
     * arrays in turn.
     *
     * @return the examples of the whole step
     */
    int sum(int examples, float[] gradient, float[] total) throws IOException;

    /** Fails unless every worker sent the same {@code digest} of its replica. */
    void checkSame(long digest) throws IOException;

    /**
     * An exchange whose workers' replicas share the memory of one JVM, so that each worker takes one shard of every
     * step's per-parameter work ({@link StepShards}: its part of the gradient sum, the KL term, Adam and the
     * parameter update) and copies the others' results, instead of every worker doing all of it.
     */
    interface Sharded extends GradientExchange {
        /** The number of workers: the shards of each step, worker i taking shard i. */
        int workers();

        /**
         * Sends this worker's share of a step, {@code examples} examples (0: none) whose data gradient is in the
         * gradient view of {@code shards}' network, and, once every worker has, sets this worker's shard of that
         * view to the sum of all workers' gradients there in worker order ({@link StepShards#sumGradients}). The
         * other workers read this worker's gradient until {@link #gatherShards}.
         *
         * @return the examples of the whole step
         */
        int sumShard(int examples, StepShards shards) throws IOException;

        /**
         * Waits until every worker has updated its shard ({@link StepShards#update}), then copies the others' shards
         * of the parameters and KL block sums into this worker's replica ({@link StepShards#copyShard}).
         */
        void gatherShards() throws IOException;

        /** After the stage's last {@link #gatherShards}: copies the others' shards of the updater state. */
        void gatherState();
    }

    /** Where a stage's tasks find the exchange: what the stage's closure carries. */
    interface Point extends Serializable {
        /**
         * Joins worker {@code partition} of Spark stage attempt {@code stageAttempt}, whose network has
         * {@code params} parameters, to the exchange.
         */
        GradientExchange join(int stageAttempt, int partition, int params) throws IOException;
    }

    /** The driver's side: serves the stages' tasks until closed. */
    interface Host extends Closeable {
        Point point();

        /** Why the last failed attempt failed, or {@code null}. */
        String failure();

        /** Stops serving: every connection or waiting worker of the exchange ends. */
        @Override
        void close();
    }
}
