package org.sparsevd.core.seed;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NoiseSeedTest {

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return new DataSet(Nd4j.rand(DataType.FLOAT, 100, 784), Nd4j.rand(DataType.FLOAT, 100, 10));
    }

    @Test
    void deterministicAndContentBased() {
        DataSet a = batch(1);
        long s = NoiseSeed.forBatch(42, 3, a);
        assertEquals(s, NoiseSeed.forBatch(42, 3, a));
        assertEquals(s, NoiseSeed.forBatch(42, 3, a.copy()));
        // same content in another ordering or as a view of a larger array
        assertEquals(s, NoiseSeed.forBatch(42, 3, new DataSet(a.getFeatures().dup('f'), a.getLabels().dup('f'))));
        INDArray big = Nd4j.zeros(DataType.FLOAT, 300, 784);
        big.get(NDArrayIndex.interval(100, 200), NDArrayIndex.all()).assign(a.getFeatures());
        DataSet view = new DataSet(big.get(NDArrayIndex.interval(100, 200), NDArrayIndex.all()), a.getLabels());
        assertEquals(s, NoiseSeed.forBatch(42, 3, view));

        assertNotEquals(s, NoiseSeed.forBatch(43, 3, a));
        assertNotEquals(s, NoiseSeed.forBatch(42, 4, a));
        DataSet changed = a.copy();
        changed.getFeatures().putScalar(57, 300, changed.getFeatures().getFloat(57, 300) + 1e-3f);
        assertNotEquals(s, NoiseSeed.forBatch(42, 3, changed));
        DataSet changedLabel = a.copy();
        changedLabel.getLabels().putScalar(0, 0, 5f);
        assertNotEquals(s, NoiseSeed.forBatch(42, 3, changedLabel));
        // the data type is part of the content
        assertNotEquals(s, NoiseSeed.forBatch(42, 3, new DataSet(a.getFeatures().castTo(DataType.DOUBLE), a.getLabels())));
        assertThrows(IllegalArgumentException.class, () -> NoiseSeed.forBatch(1, 1, null));
    }

    /**
     * The seeds of two batches whose values follow from their indices, as the code of 2026-12-02 (68ef480) computed
     * them: a change in how the hash reads an array must not change a seed (every run's noise would change).
     */
    @Test
    void seedsOfKnownBatchesAreThoseOfEarlierVersions() {
        float[] features = new float[50 * 784];
        for (int i = 0; i < features.length; i++) {
            features[i] = (i % 251) / 250f;
        }
        float[] labels = new float[50 * 10];
        for (int j = 0; j < 50; j++) {
            labels[j * 10 + j % 10] = 1f;
        }
        DataSet batch = new DataSet(Nd4j.create(features, new long[] {50, 784}, 'c'),
                Nd4j.create(labels, new long[] {50, 10}, 'c'));
        assertEquals(PINNED_FLOAT, NoiseSeed.forBatch(42, 3, batch));
        DataSet doubles = new DataSet(batch.getFeatures().castTo(DataType.DOUBLE), batch.getLabels());
        assertEquals(PINNED_DOUBLE, NoiseSeed.forBatch(42, 3, doubles));
    }

    private static final long PINNED_FLOAT = 8324477172306847820L;
    private static final long PINNED_DOUBLE = -4300991370936065264L;

    @Test
    void applySeedsNd4jRandom() {
        DataSet a = batch(5);
        NoiseSeed.apply(1, 0, a);
        INDArray r1 = Nd4j.randn(DataType.FLOAT, 4, 4);
        Nd4j.getRandom().setSeed(999);
        Nd4j.randn(DataType.FLOAT, 3, 3);
        NoiseSeed.apply(1, 0, a);
        INDArray r2 = Nd4j.randn(DataType.FLOAT, 4, 4);
        assertEquals(r1, r2);
        NoiseSeed.apply(1, 1, a);
        assertNotEquals(r1, Nd4j.randn(DataType.FLOAT, 4, 4));
    }
}
