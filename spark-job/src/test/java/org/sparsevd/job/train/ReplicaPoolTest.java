package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.layers.SparseVdLayers;

class ReplicaPoolTest {

    private static MultiLayerNetwork driver(double klWeight) {
        MultiLayerConfiguration conf = Lenet300.sparseVd(ArchitectureSettings.defaults(1000).withKlWeight(klWeight)
                .withLearningRate(0.01));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static NetBroadcastTuple tuple(MultiLayerNetwork driver) {
        return new NetBroadcastTuple(driver.getLayerWiseConfigurations(), driver.params(),
                driver.getUpdater().getStateViewArray());
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return new DataSet(Nd4j.rand(20, 784), Nd4j.eye(10).repeat(0, 2));
    }

    /** Two fits with the noise of a fixed seed: what the network does next. */
    private static void fit(MultiLayerNetwork net, long seed) {
        DataSet data = batch(seed);
        Nd4j.getRandom().setSeed(seed);
        net.fit(data);
        net.fit(data);
    }

    private static void assertSameState(MultiLayerNetwork expected, MultiLayerNetwork actual) {
        assertArrayEquals(expected.params().toFloatVector(), actual.params().toFloatVector());
        assertArrayEquals(expected.getUpdater().getStateViewArray().toFloatVector(),
                actual.getUpdater().getStateViewArray().toFloatVector());
        assertEquals(expected.getLayerWiseConfigurations(), actual.getLayerWiseConfigurations());
        assertEquals(expected.score(), actual.score());
    }

    /**
     * A network given back after a round is taken again for the driver's next round and then holds, and trains to,
     * exactly what a network built anew from that round's configuration, parameters and Adam state does, iteration
     * and epoch counts included (the KL weight of the next epoch is the same here; see the next test), with the
     * updater it had.
     */
    @Test
    void aKeptNetworkIsTheNextRoundsNetworkBitForBit() {
        MultiLayerNetwork driver = driver(0.5);
        ReplicaPool pool = new ReplicaPool(2);
        MultiLayerNetwork first = pool.take(tuple(driver));
        fit(first, 1);
        Object updater = first.getUpdater();
        pool.give(first);

        fit(driver, 2);
        driver.getLayerWiseConfigurations().setEpochCount(3);
        MultiLayerNetwork kept = pool.take(tuple(driver));
        MultiLayerNetwork built = new ReplicaPool(1).take(tuple(driver));
        assertSame(first, kept);
        assertSame(updater, kept.getUpdater(), "the kept network's updater, not one built again");
        assertEquals(1, pool.built());
        assertEquals(2, kept.getLayerWiseConfigurations().getIterationCount());
        assertEquals(3, kept.getLayerWiseConfigurations().getEpochCount());
        assertEquals(3, kept.getLayerWiseConfigurations().getConf(0).getEpochCount());
        assertArrayEquals(driver.params().toFloatVector(), kept.params().toFloatVector());
        assertNotSame(driver.params(), kept.params());
        fit(kept, 3);
        fit(built, 3);
        assertSameState(built, kept);
    }

    /**
     * A round of another configuration (the next epoch's KL weight) gets a network built anew, and the kept network
     * of the old one is dropped rather than kept on.
     */
    @Test
    void anotherConfigurationGetsANewNetwork() {
        MultiLayerNetwork driver = driver(0.5);
        ReplicaPool pool = new ReplicaPool(2);
        MultiLayerNetwork first = pool.take(tuple(driver));
        pool.give(first);
        SparseVdLayers.setKlWeight(driver.getLayerWiseConfigurations(), 0.75);
        MultiLayerNetwork next = pool.take(tuple(driver));
        assertNotSame(first, next);
        assertEquals(2, pool.built());
        assertEquals(driver.getLayerWiseConfigurations(), next.getLayerWiseConfigurations());
        pool.give(next);
        SparseVdLayers.setKlWeight(driver.getLayerWiseConfigurations(), 0.5);
        MultiLayerNetwork again = pool.take(tuple(driver));
        assertNotSame(first, again);
        assertNotSame(next, again);
        assertEquals(3, pool.built());
    }

    /** Networks taken at once are different ones; a full pool drops its oldest. */
    @Test
    void keepsAtMostItsCapacityAndLendsANetworkOnce() {
        MultiLayerNetwork driver = driver(0.5);
        ReplicaPool pool = new ReplicaPool(1);
        MultiLayerNetwork a = pool.take(tuple(driver));
        MultiLayerNetwork b = pool.take(tuple(driver));
        assertNotSame(a, b);
        pool.give(a);
        pool.give(b);
        assertSame(b, pool.take(tuple(driver)));
        assertNotSame(a, pool.take(tuple(driver)));
        assertEquals(3, pool.built());
        assertThrows(IllegalArgumentException.class, () -> new ReplicaPool(0));
    }
}
