package org.sparsevd.core.optim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.kl.FusedKlKernel;
import org.sparsevd.core.kl.SparseVdKl;
import org.sparsevd.core.layers.impl.SparseVdLayerImpl;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.simd.DirectFloats;

import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.LOG_SIGMA2_KEY;
import static org.sparsevd.core.layers.spec.SparseVdParamInitializer.WEIGHT_KEY;

/**
 * The per-parameter part of a training step, after the data term's gradient: the KL term's gradient (eq. 3 and 14
 * of Molchanov et al., 2017; {@link FusedKlKernel}), {@link FusedAdam}'s update and {@code params -= update}, split
 * into {@code shards} disjoint parts of the parameters, so that W workers holding replicas of one network each do one
 * part of a step instead of all of it, then copy the others' parts of the parameters.
 *
 * <p>Every parameter array is cut at the same fractions i/W of its length, rounded to a multiple of
 * {@link FusedKlKernel#BLOCK}, so a Sparse VD layer's W and logσ² are cut alike (the KL gradient of weight j needs
 * both) and its Σ KL is the sum of whole blocks, whichever worker computed each ({@link FusedKlKernel#sum}).
 *
 * <p>What a step computes, whatever the number of shards and whoever computes which: the gradient of the whole step
 * (the data term's gradients of the workers, summed) plus minibatch·klWeight/N·∇KL, which is what a Sparse VD layer's
 * backprop adds to a single JVM's gradient; then DL4J's division by the minibatch size, Adam and the subtraction of
 * the update, element by element with the same bits as DL4J's updater and {@code params.subi} ({@link
 * AdamKernel#step}). With one shard a step is bit for bit DL4J's {@code fit}. Use it on a network whose Sparse VD
 * layers leave the KL term to the caller ({@link #klTermByCaller}), and set the step's score with {@link #score}.
 *
 * <p>Only for what {@link #supports} says: ND4J's CPU backend with the fused kernels, float parameters, every updater
 * block a {@link FusedAdam}, no regularization, no constraints and nothing exempt from the minibatch division (so
 * not batch normalization's running mean and variance).
 */
public final class StepShards {
    private final MultiLayerNetwork net;
    private final int shards;
    /** [from, to) flat index pairs of each shard's parameters. */
    private final int[][] ranges;
    private final List<KlPart> klParts = new ArrayList<>();
    private final List<UpdaterBlock> blocks;

    /** One Sparse VD layer's weights: where its W and logσ² start, and its KL block sums of the current step. */
    private record KlPart(SparseVdLayerImpl<?> layer, SparseVdLayer conf, int weightOffset, int logSigma2Offset,
                          int length, double[] blockSums) {
    }

    /**
     * The shards of {@code net}'s parameters for {@code shards} workers; {@code net} must be initialized and
     * {@link #supports} it.
     */
    public StepShards(MultiLayerNetwork net, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("a step splits into at least one shard, not " + shards);
        }
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView();
        }
        String unsupported = unsupported(net);
        if (unsupported != null) {
            throw new IllegalArgumentException("the network's step cannot be split into shards: " + unsupported);
        }
        this.net = net;
        this.shards = shards;
        this.blocks = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks();
        List<List<Integer>> perShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            perShard.add(new ArrayList<>());
        }
        int offset = 0;
        for (Layer layer : net.getLayers()) {
            int weightOffset = -1;
            int logSigma2Offset = -1;
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                int length = Math.toIntExact(p.getValue().length());
                for (int s = 0; s < shards; s++) {
                    int from = offset + cut(length, s);
                    int to = offset + cut(length, s + 1);
                    if (to > from) {
                        perShard.get(s).add(from);
                        perShard.get(s).add(to);
                    }
                }
                weightOffset = p.getKey().equals(WEIGHT_KEY) ? offset : weightOffset;
                logSigma2Offset = p.getKey().equals(LOG_SIGMA2_KEY) ? offset : logSigma2Offset;
                offset += length;
            }
            if (layer instanceof SparseVdLayerImpl<?> sparse) {
                int length = Math.toIntExact(sparse.getParam(WEIGHT_KEY).length());
                klParts.add(new KlPart(sparse, (SparseVdLayer) sparse.conf().getLayer(), weightOffset, logSigma2Offset,
                        length, new double[FusedKlKernel.blocks(length)]));
            }
        }
        if (offset != net.numParams()) {
            throw new IllegalStateException("the layers' parameters add up to " + offset + ", not the network's "
                    + net.numParams());
        }
        this.ranges = perShard.stream().map(r -> r.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    /** Where shard {@code shard} of an array of {@code length} parameters starts (i/W of it, in whole KL blocks). */
    private int cut(int length, int shard) {
        if (shard == shards) {
            return length;
        }
        long blocks = Math.round((double) length * shard / shards / FusedKlKernel.BLOCK);
        return (int) Math.min(length, blocks * FusedKlKernel.BLOCK);
    }

    /** Whether {@link StepShards} can take {@code net}'s steps. */
    public static boolean supports(MultiLayerNetwork net) {
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView();
        }
        return unsupported(net) == null;
    }

    /** Why {@link StepShards} cannot take {@code net}'s steps, or null. */
    private static String unsupported(MultiLayerNetwork net) {
        if (!DirectFloats.enabled()) {
            return "the fused kernels are off";
        }
        if (net.params().dataType() != DataType.FLOAT || !DirectFloats.supports(net.params())
                || !DirectFloats.supports(net.getGradientsViewArray())) {
            return "the parameters or gradients are not contiguous floats";
        }
        for (Layer layer : net.getLayers()) {
            for (String param : layer.paramTable().keySet()) {
                List<?> regularization = layer.getConfig().getRegularizationByParam(param);
                if (regularization != null && !regularization.isEmpty()) {
                    return "layer " + layer.getIndex() + " regularizes " + param;
                }
                if (!((Trainable) layer).updaterDivideByMinibatch(param)) {
                    return "layer " + layer.getIndex() + "'s " + param + " is not divided by the minibatch size";
                }
            }
            List<?> constraints = layer.conf().getLayer().getConstraints();
            if (constraints != null && !constraints.isEmpty()) {
                return "layer " + layer.getIndex() + " has constraints";
            }
            if (layer instanceof SparseVdLayerImpl<?>) {
                SparseVdLayer c = (SparseVdLayer) layer.conf().getLayer();
                if (!FusedKlKernel.supportsClip(c.getLogAlphaMin(), c.getLogAlphaMax())) {
                    return "layer " + layer.getIndex() + "'s log alpha clip range is wider than the fused kernel's";
                }
            }
        }
        if (!(net.getUpdater() instanceof BaseMultiLayerUpdater<?> updater)) {
            return "the updater is not DL4J's";
        }
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            if (!(block.getGradientUpdater() instanceof FusedAdamUpdater adam) || !adam.fused(block.getGradientView())) {
                return "an updater block is not a FusedAdam on contiguous floats";
            }
        }
        return null;
    }

    /** How many shards the step is split into. */
    public int shards() {
        return shards;
    }

    /** Shard {@code shard}'s parameters: [from, to) pairs of flat indices, in index order. */
    public int[] ranges(int shard) {
        return ranges[shard].clone();
    }

    /**
     * Makes the network's Sparse VD layers leave the KL term to this class's {@link #update} ({@code true}), or take it
     * back ({@code false}).
     */
    public void klTermByCaller(boolean byCaller) {
        for (KlPart part : klParts) {
            part.layer().setKlTermByCaller(byCaller);
        }
    }

    /**
     * Shard {@code shard}'s part of a step of {@code minibatch} examples whose summed data gradient is in the network's
     * gradient view (at least over the shard's parameters): the KL term's gradient added with the epoch's KL weight,
     * the minibatch division, Adam and {@code params -= update}, on the shard's parameters only; the KL block sums of
     * the shard's weights are kept for {@link #score}.
     */
    public void update(int shard, int minibatch, int iteration, int epoch) {
        ByteBuffer params = DirectFloats.buffer(net.params());
        ByteBuffer gradient = DirectFloats.buffer(net.getGradientsViewArray());
        int steps = net.conf().isMiniBatch() ? minibatch : 1;
        for (KlPart part : klParts) {
            double klWeight = part.conf().getKlWeight();
            int from = cut(part.length(), shard);
            int to = cut(part.length(), shard + 1);
            if (klWeight == 0.0 || to == from) {
                continue;
            }
            FusedKlKernel.addGradient(slice(params, part.weightOffset(), part.length()),
                    slice(params, part.logSigma2Offset(), part.length()), true,
                    slice(gradient, part.weightOffset(), part.length()),
                    slice(gradient, part.logSigma2Offset(), part.length()), from, to,
                    SparseVdKl.perExample(klWeight, steps, part.conf().getTrainSetSize()), part.conf().getLogAlphaMin(),
                    part.conf().getLogAlphaMax(), part.blockSums());
        }
        int[] r = ranges[shard];
        for (UpdaterBlock block : blocks) {
            FusedAdamUpdater adam = (FusedAdamUpdater) block.getGradientUpdater();
            for (int i = 0; i < r.length; i += 2) {
                int from = Math.max(r[i], block.getParamOffsetStart());
                int to = Math.min(r[i + 1], block.getParamOffsetEnd());
                if (to > from) {
                    adam.step(gradient, params, block.getParamOffsetStart(), from, to, steps, iteration, epoch);
                }
            }
        }
    }

    private static ByteBuffer slice(ByteBuffer b, int offset, int length) {
        return b.slice(offset * Float.BYTES, length * Float.BYTES).order(b.order());
    }

    /**
     * Sets the network's score of the step whose data loss DL4J's {@code computeGradientAndScore} gave as the score
     * ({@code dataScore}; the layers counted no KL term and there is no other regularization) to what DL4J's would
     * be with the KL term: the data loss plus the network's regularization score, now with each layer's Σ KL from the
     * block sums of all shards (its own shard's {@link #update} and {@link #copyShard} of the others).
     */
    public void score(double dataScore) {
        for (KlPart part : klParts) {
            if (part.conf().getKlWeight() != 0.0) {
                part.layer().klSumOfStep(FusedKlKernel.sum(part.blockSums()));
            }
        }
        net.setScore(dataScore + net.calcRegularizationScore(true));
    }

    /**
     * Sets this replica's gradient over shard {@code shard}'s parameters to the sum of the {@code replicas}' gradients
     * there (this one among them), added in replica order with those whose {@code counted} is false left out: the bits
     * of {@code float[]} sums in the same order. The replicas' other parameters' gradients are neither read nor
     * written, so W workers can each sum their own shard at once.
     */
    public void sumGradients(StepShards[] replicas, boolean[] counted, int shard) {
        List<ByteBuffer> addends = new ArrayList<>();
        for (int r = 0; r < replicas.length; r++) {
            if (counted[r]) {
                requireReplica(replicas[r]);
                addends.add(DirectFloats.buffer(replicas[r].net.getGradientsViewArray()));
            }
        }
        ByteBuffer mine = DirectFloats.buffer(net.getGradientsViewArray());
        int[] r = ranges[shard];
        for (int i = 0; i < r.length; i += 2) {
            OrderedSumKernel.sum(addends.toArray(ByteBuffer[]::new), mine, r[i], r[i + 1]);
        }
    }

    /**
     * Copies shard {@code shard}'s part of the step from {@code other}, a replica's shards that took it with
     * {@link #update}: its parameters and its KL block sums. Workers that each took one shard call it for every other
     * shard between their {@link #update} and {@link #score}; then every replica holds the same parameters.
     */
    public void copyShard(StepShards other, int shard) {
        requireReplica(other);
        copy(other.net.params(), net.params(), ranges[shard]);
        for (int p = 0; p < klParts.size(); p++) {
            KlPart part = klParts.get(p);
            int from = cut(part.length(), shard) / FusedKlKernel.BLOCK;
            int to = FusedKlKernel.blocks(cut(part.length(), shard + 1));
            System.arraycopy(other.klParts.get(p).blockSums(), from, part.blockSums(), from, to - from);
        }
    }

    /**
     * Copies the updater state (Adam's m and v) of shard {@code shard}'s parameters from {@code other}, a replica's
     * shards that took that shard's steps: after the last step, so that every replica holds the same state.
     */
    public void copyShardState(StepShards other, int shard) {
        requireReplica(other);
        copy(other.net.getUpdater().getStateViewArray(), net.getUpdater().getStateViewArray(), stateRanges(shard));
    }

    private void requireReplica(StepShards other) {
        if (other.shards != shards || other.net.numParams() != net.numParams()) {
            throw new IllegalArgumentException("shards of another network: " + other.net.numParams()
                    + " parameters in " + other.shards + ", not " + net.numParams() + " in " + shards);
        }
    }

    /** Copies the floats of {@code ranges} ([from, to) pairs) from {@code from} to {@code to}. */
    private static void copy(INDArray from, INDArray to, int[] ranges) {
        ByteBuffer src = DirectFloats.buffer(from);
        ByteBuffer dst = DirectFloats.buffer(to);
        for (int i = 0; i < ranges.length; i += 2) {
            dst.put(ranges[i] * Float.BYTES, src, ranges[i] * Float.BYTES, (ranges[i + 1] - ranges[i]) * Float.BYTES);
        }
    }

    /** The flat index ranges of the updater state of shard {@code shard}'s parameters: [from, to) pairs. */
    private int[] stateRanges(int shard) {
        List<Integer> out = new ArrayList<>();
        int[] r = ranges[shard];
        for (UpdaterBlock block : blocks) {
            int start = block.getParamOffsetStart();
            int length = block.getParamOffsetEnd() - start;
            for (int i = 0; i < r.length; i += 2) {
                int from = Math.max(r[i], start);
                int to = Math.min(r[i + 1], block.getParamOffsetEnd());
                if (to > from) {
                    // Adam's state of a block is [m, v], each of the block's length
                    for (int moment = 0; moment < 2; moment++) {
                        out.add(block.getUpdaterViewOffsetStart() + moment * length + from - start);
                        out.add(block.getUpdaterViewOffsetStart() + moment * length + to - start);
                    }
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
