package org.sparsevd.job.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The networks a JVM's training tasks fit on, kept from one stage or averaging round to the next, so that a task does
 * not build its network again each time (issue 15: no work per round that could be done once). A task takes a
 * replica of the driver's network from here ({@link #take}) and gives it back once its result is out
 * ({@link #give}).
 *
 * <p>A kept network is taken only when its configuration equals the driver's but for the iteration and epoch counts
 * (DL4J's configuration equality: every layer's settings, its updater's, the Sparse VD settings with the KL weight,
 * the preprocessors). It then gets the driver's counts and a copy of its parameters and updater state in the arrays
 * it has: the values a network built anew holds (configuration clone, {@code init} on a copy of the parameters, a new
 * updater on a copy of the state, as dl4j-spark's worker does), with nothing else carried over, since a network
 * given back holds no inputs, masks or listeners. Any other configuration (the next epoch's KL weight, another run of
 * a sweep) gets a network built anew, and the kept networks looked at before a match are dropped: what stays kept is
 * at most the networks of one configuration that ran at once, and never more than the JVM has processors (runs of a
 * {@code sweep --parallel} with other configurations take turns dropping each other's and build as before).
 */
final class ReplicaPool {
    /** The JVM's pool, which every stage and round of every run in it uses. */
    static final ReplicaPool SHARED = new ReplicaPool(Runtime.getRuntime().availableProcessors());

    private final int capacity;
    private final Deque<MultiLayerNetwork> idle = new ArrayDeque<>();
    private long built;

    /** A pool that keeps at most {@code capacity} networks. */
    ReplicaPool(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a replica pool keeps at least one network, not " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * A network with {@code tuple}'s configuration, its own copy of the tuple's parameters and updater state, and
     * the tuple's iteration and epoch counts: a kept one when one matches, else one built anew.
     */
    MultiLayerNetwork take(NetBroadcastTuple tuple) {
        MultiLayerConfiguration conf = tuple.getConfiguration();
        MultiLayerNetwork kept = null;
        synchronized (this) {
            for (Iterator<MultiLayerNetwork> it = idle.iterator(); it.hasNext() && kept == null; ) {
                MultiLayerNetwork net = it.next();
                it.remove();
                copyCounts(conf, net.getLayerWiseConfigurations());
                if (net.getLayerWiseConfigurations().equals(conf)) {
                    kept = net;
                }
            }
            if (kept == null) {
                built++;
            }
        }
        if (kept == null) {
            MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
            net.init(tuple.getParameters().unsafeDuplication(), false);
            net.setUpdater(new MultiLayerUpdater(net, tuple.getUpdaterState().unsafeDuplication()));
            kept = net;
        } else {
            kept.params().assign(tuple.getParameters());
            kept.getUpdater().getStateViewArray().assign(tuple.getUpdaterState());
        }
        Nd4j.getExecutioner().commit();
        return kept;
    }

    /**
     * Keeps {@code net} for a later {@link #take}, without its inputs, masks and listeners; the oldest kept network
     * is dropped when the pool is full. Give back only a network whose task ended well, and do not use it after.
     * Not DL4J's {@code MultiLayerNetwork.clear()}: it also drops the solver, and with it the updater, which the next
     * {@code getUpdater()} would then build again.
     */
    void give(MultiLayerNetwork net) {
        for (Layer layer : net.getLayers()) {
            layer.clear();
        }
        net.setInput(null);
        net.setLabels(null);
        net.clearLayerMaskArrays();
        net.setListeners(List.of());
        synchronized (this) {
            if (idle.size() == capacity) {
                idle.removeLast();
            }
            idle.addFirst(net);
        }
    }

    /** How many networks {@link #take} has built so far (the others it took from the kept ones). */
    synchronized long built() {
        return built;
    }

    /** Copies {@code from}'s iteration and epoch counts, the network's and every layer's, into {@code to}. */
    private static void copyCounts(MultiLayerConfiguration from, MultiLayerConfiguration to) {
        to.setIterationCount(from.getIterationCount());
        to.setEpochCount(from.getEpochCount());
        int layers = Math.min(from.getConfs().size(), to.getConfs().size());
        for (int i = 0; i < layers; i++) {
            to.getConf(i).setIterationCount(from.getConf(i).getIterationCount());
            to.getConf(i).setEpochCount(from.getConf(i).getEpochCount());
        }
    }
}
