package org.sparsevd.job.train;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.optim.StepShards;
import org.sparsevd.core.simd.DirectFloats;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * The executor side of one all-reduce stage: a task of a Spark barrier stage, one per worker, that takes
 * {@code steps} consecutive optimizer steps of the global minibatch. Every task takes the same replica of the
 * network from the driver's configuration, parameters and Adam state ({@link State}: a broadcast, or in local mode
 * the driver's own), built once and kept in its JVM from stage to stage ({@link ReplicaPool}); then, per step:
 * <ol>
 *   <li>the worker computes the gradient of its share of the global minibatch (its next minibatch of B/W examples,
 *       or none once its block has run out) with DL4J's {@code computeGradientAndScore}, under the hooks of the
 *       epoch (noise seed, losses, accuracy, examples) exactly as dl4j-spark calls them around a fit;</li>
 *   <li>the workers' gradients are summed in worker order, so every replica holds the same bits: each worker sends
 *       its gradient and example count to the driver's {@link AllReduceHub}, which sends the sum back to every
 *       worker; in local mode the workers add them in shared memory in the same order ({@link LocalAllReduce}); a
 *       stage of one worker skips this (the sum of its gradient alone is that gradient);</li>
 *   <li>what DL4J's {@code StochasticGradientDescent} applies in {@code fit}: the KL term's gradient, the division
 *       by the examples of the whole step, Adam, {@code params -= update}, the iteration count + 1 and the
 *       constraints.</li>
 * </ol>
 * With ND4J's CPU backend and the fused kernels (the default; {@link StepShards#supports}) the Sparse VD layers
 * leave the KL term out of their backprop, and the per-parameter work of step 3 (the KL gradient, Adam, the
 * update) is {@link StepShards}': in local mode each of the W workers sums, updates and hands over only its own
 * 1/W shard of the parameters and copies the others' ({@link GradientExchange.Sharded}), so that this work, about
 * half of a LeNet-300-100 step, is split between the cores instead of done on each; through the hub, or alone, a
 * worker takes every shard itself. Otherwise the layers add the KL term in backprop and the network's updater takes
 * the step.
 *
 * <p>Why this is one step on the global minibatch: DL4J's gradient of a minibatch of B examples is the sum over
 * its examples of the data term's gradient plus, in the Sparse VD layers, B · klWeight/N times the KL gradient
 * (the updater divides the whole gradient by the minibatch size). The sharded step adds B · klWeight/N · ∇KL once
 * to the workers' summed data gradients; the other sums the workers' gradients, each with its own n_w ·
 * klWeight/N · ∇KL (Σ n_w = B). Either way the updater divides by B: the mean data gradient plus klWeight/N · ∇KL,
 * what one JVM with minibatch B computes, up to the order of the float additions. Adam then sees the same gradient
 * on every replica, so the replicas never drift apart. The networks here configure no gradient normalization
 * (checked by {@link AllReduceRounds}), so the updater needs only the flattened gradient. Task 0 hands back the
 * parameters, Adam state and iteration count at the end of the stage, after the exchange has checked that all
 * replicas hold the same bits. The stage is a Spark barrier stage so that its W tasks run at once; they exchange
 * nothing through Spark.
 */
final class AllReduceStage extends AbstractFunction1<Iterator<DataSet>, Iterator<AllReduceStage.Result>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What task 0 returns to the driver: the replicas' common state after the stage. */
    record Result(INDArray params, INDArray updaterState, int iterations) implements Serializable {
    }

    /** Where a stage's tasks find the network they start from, and how task 0 hands its result back. */
    interface State extends Serializable {
        /**
         * The driver's network: configuration (with the epoch's KL weight, learning rate and iteration count),
         * parameters and updater state.
         */
        NetBroadcastTuple network();

        /** Hands task 0's result back: what the task returns to Spark (the result, or nothing if taken here). */
        List<Result> handBack(Result result);
    }

    /** The state as a Spark broadcast, and the result as the task's result: on any Spark master. */
    record Broadcasted(Broadcast<NetBroadcastTuple> broadcast) implements State {
        @Override
        public NetBroadcastTuple network() {
            return broadcast.value();
        }

        @Override
        public List<Result> handBack(Result result) {
            return List.of(result);
        }
    }

    private final State network;
    private final GradientExchange.Point exchange;
    private final int steps;
    private final List<TrainingHook> hooks;

    /**
     * @param network where the tasks find the driver's network and hand back the result ({@link Broadcasted},
     *                or {@link LocalAllReduce} in local mode)
     * @param exchange where the tasks sum their gradients ({@link AllReduceHub}, {@link LocalAllReduce}), or
     *                {@code null} for a stage of one worker, which has nothing to sum: its gradient is the sum
     * @param steps   the optimizer steps of this stage (every task takes all of them)
     * @param hooks   called around every minibatch a worker computes on
     */
    AllReduceStage(State network, GradientExchange.Point exchange, int steps,
                   List<TrainingHook> hooks) {
        if (steps < 1) {
            throw new IllegalArgumentException("a stage takes at least one step, not " + steps);
        }
        this.network = network;
        this.exchange = exchange;
        this.steps = steps;
        this.hooks = List.copyOf(hooks);
    }

    @Override
    public Iterator<Result> apply(Iterator<DataSet> batches) {
        BarrierTaskContext task = BarrierTaskContext.get();
        MultiLayerNetwork replica = ReplicaPool.SHARED.take(network.network());
        int params = (int) replica.numParams();
        try (GradientExchange sum = exchange == null ? null : exchange.join(task.stageAttemptNumber(),
                task.partitionId(), params)) {
            if (StepShards.supports(replica)) {
                GradientExchange.Sharded shared = sum instanceof GradientExchange.Sharded s ? s : null;
                StepShards shards = new StepShards(replica, shared == null ? 1 : shared.workers());
                shards.klTermByCaller(true);
                // this worker's data gradient: the exchange may read the last step's until this one's sum
                float[][] mine = sum == null || shared != null ? null : new float[][] {new float[params],
                        new float[params]};
                float[] total = mine == null ? null : new float[params];
                for (int step = 0; step < steps; step++) {
                    shardedStep(sum, shards, replica, batches.hasNext() ? batches.next() : null,
                            mine == null ? null : mine[step & 1], total);
                }
                if (shared != null) {
                    shared.gatherState();
                }
                shards.klTermByCaller(false);
            } else {
                float[][] mine = sum == null ? null : new float[][] {new float[params], new float[params]};
                float[] total = sum == null ? null : new float[params];
                for (int step = 0; step < steps; step++) {
                    step(sum, replica, batches.hasNext() ? batches.next() : null, mine == null ? null : mine[step & 1],
                            total);
                }
            }
            if (sum != null) {
                sum.checkSame(digest(replica));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (batches.hasNext()) {
            throw new IllegalStateException("worker " + task.partitionId() + " has minibatches left after the "
                    + steps + " steps of its stage");
        }
        List<Result> out = task.partitionId() == 0
                ? network.handBack(new Result(replica.params().dup(), replica.getUpdater().getStateViewArray().dup(),
                        replica.getLayerWiseConfigurations().getIterationCount()))
                : Collections.emptyList();
        ReplicaPool.SHARED.give(replica);
        return JavaConverters.asScalaIteratorConverter(out.iterator()).asScala();
    }

    /** Copies {@code from}'s floats into {@code to}: a memory copy on ND4J's CPU backend, ND4J's copy elsewhere. */
    private static void copy(INDArray from, float[] to) {
        if (DirectFloats.hostMemory() && DirectFloats.supports(from)) {
            DirectFloats.buffer(from).asFloatBuffer().get(to);
        } else {
            System.arraycopy(from.toFloatVector(), 0, to, 0, to.length);
        }
    }

    /** Copies {@code from} into the floats of {@code to}, as {@link #copy(INDArray, float[])} in reverse. */
    private static void copy(float[] from, INDArray to) {
        if (DirectFloats.hostMemory() && DirectFloats.supports(to)) {
            DirectFloats.buffer(to).asFloatBuffer().put(from);
        } else {
            to.assign(Nd4j.createFromArray(from).reshape(to.shape()));
        }
    }

    /**
     * A digest of the replica's parameter and updater-state bits, which the hub compares across the workers at the
     * end of the stage: the invariant that makes task 0's result every worker's.
     */
    private static long digest(MultiLayerNetwork replica) {
        return (long) bitsHash(replica.params()) << 32
                | (bitsHash(replica.getUpdater().getStateViewArray()) & 0xffffffffL);
    }

    /**
     * {@link Arrays#hashCode(int[])} of the raw bits of {@code a}'s floats: read in place on ND4J's CPU backend
     * (no copy of the parameters or the optimizer state), from a copy elsewhere ({@link DirectFloats#floatBits}).
     */
    private static int bitsHash(INDArray a) {
        int hash = 1;
        IntBuffer bits = DirectFloats.floatBits(a);
        for (int i = 0, n = bits.limit(); i < n; i++) {
            hash = 31 * hash + bits.get(i);
        }
        return hash;
    }

    /**
     * One optimizer step on the global minibatch through the network's updater; {@code share} is this worker's part,
     * or {@code null}; {@code mine} and {@code total} hold the exchanged gradients ({@code mine} one of two arrays
     * taken in turn, {@code total} reused from step to step; {@code null} without an exchange).
     */
    private void step(GradientExchange exchange, MultiLayerNetwork replica, DataSet share, float[] mine,
                      float[] total) throws IOException {
        INDArray gradient = replica.getGradientsViewArray();
        int examples = computeGradient(replica, share);
        int global = examples;
        if (exchange != null) {
            global = sum(exchange, examples, gradient, mine, total);
        } else if (examples == 0) {
            throw new IllegalStateException("the one worker of an all-reduce stage ran out of minibatches");
        }

        MultiLayerConfiguration conf = replica.getLayerWiseConfigurations();
        int iteration = conf.getIterationCount();
        int epoch = conf.getEpochCount();
        replica.getUpdater().update(replica, new DefaultGradient(gradient), iteration, epoch, global,
                LayerWorkspaceMgr.noWorkspaces());
        replica.params().subi(gradient.reshape(gradient.length()));
        endStep(replica, share);
    }

    /**
     * One optimizer step on the global minibatch through {@code shards}, whose network's layers leave the KL term to
     * it: with a {@link GradientExchange.Sharded} exchange this worker sums, updates and shares its own shard of the
     * parameters and copies the others'; with any other (or none) it sums the data gradients whole and takes every
     * shard itself. {@code mine} and {@code total} as in {@link #step}, {@code null} unless the exchange sums
     * {@code float[]}s.
     */
    private void shardedStep(GradientExchange exchange, StepShards shards, MultiLayerNetwork replica, DataSet share,
                             float[] mine, float[] total) throws IOException {
        int examples = computeGradient(replica, share);
        double dataScore = replica.score();
        GradientExchange.Sharded shared = exchange instanceof GradientExchange.Sharded s && mine == null ? s : null;
        int global = examples;
        if (shared != null) {
            global = shared.sumShard(examples, shards);
        } else if (exchange != null) {
            global = sum(exchange, examples, replica.getGradientsViewArray(), mine, total);
        } else if (examples == 0) {
            throw new IllegalStateException("the one worker of an all-reduce stage ran out of minibatches");
        }
        MultiLayerConfiguration conf = replica.getLayerWiseConfigurations();
        int iteration = conf.getIterationCount();
        int epoch = conf.getEpochCount();
        if (shared != null) {
            int partition = BarrierTaskContext.get().partitionId();
            shards.update(partition, global, iteration, epoch);
            shared.gatherShards();
        } else {
            for (int s = 0; s < shards.shards(); s++) {
                shards.update(s, global, iteration, epoch);
            }
        }
        if (share != null) {
            shards.score(dataScore);
        }
        endStep(replica, share);
    }

    /**
     * The gradient and score of this worker's {@code share} (or nothing, {@code null}) by DL4J's
     * {@code computeGradientAndScore}, under the epoch's hooks as dl4j-spark calls them around a fit.
     *
     * @return the share's examples
     */
    private int computeGradient(MultiLayerNetwork replica, DataSet share) {
        if (share == null) {
            return 0;
        }
        for (TrainingHook hook : hooks) {
            hook.preUpdate(share, replica);
        }
        replica.setInput(share.getFeatures());
        replica.setLabels(share.getLabels());
        replica.computeGradientAndScore();
        return share.numExamples();
    }

    /** Sums {@code gradient} over the workers through {@code float[]}s and sets it to the sum. */
    private static int sum(GradientExchange exchange, int examples, INDArray gradient, float[] mine, float[] total)
            throws IOException {
        if (examples > 0) {
            copy(gradient, mine);
        }
        int global = exchange.sum(examples, examples == 0 ? null : mine, total);
        copy(total, gradient);
        return global;
    }

    /** The end of every step: the iteration count + 1, the constraints, and the hooks after a share. */
    private void endStep(MultiLayerNetwork replica, DataSet share) {
        MultiLayerConfiguration conf = replica.getLayerWiseConfigurations();
        int iteration = conf.getIterationCount() + 1;
        conf.setIterationCount(iteration);
        replica.applyConstraints(iteration, conf.getEpochCount());
        if (share != null) {
            replica.clearLayersStates();
            for (TrainingHook hook : hooks) {
                hook.postUpdate(share, replica);
            }
        }
    }
}
