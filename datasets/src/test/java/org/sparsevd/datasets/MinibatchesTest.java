package org.sparsevd.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

class MinibatchesTest {

    private final LabeledImages data = TestFiles.randomImages(10, 3, 4, 5, 7, 11);

    @Test
    void batchesHaveFlatFeaturesAndOneHotLabelsWithAPartialLastBatch() {
        List<DataSet> batches = Minibatches.of(data, 4, null);

        assertEquals(3, batches.size());
        int[] sizes = {4, 4, 2};
        for (int b = 0; b < 3; b++) {
            DataSet batch = batches.get(b);
            assertArrayEquals(new long[] {sizes[b], 60}, batch.getFeatures().shape());
            assertArrayEquals(new long[] {sizes[b], 7}, batch.getLabels().shape());
            assertEquals(DataType.FLOAT, batch.getFeatures().dataType());
            assertEquals(DataType.FLOAT, batch.getLabels().dataType());
            float[][] features = batch.getFeatures().toFloatMatrix();
            float[][] labels = batch.getLabels().toFloatMatrix();
            for (int j = 0; j < sizes[b]; j++) {
                int example = b * 4 + j;
                for (int k = 0; k < 7; k++) {
                    assertEquals(k == data.label(example) ? 1f : 0f, labels[j][k], "example " + example);
                }
                for (int p = 0; p < 60; p++) {
                    assertEquals(data.pixel(example, p) / 255f, features[j][p], 1e-7f);
                }
            }
        }
    }

    @Test
    void shuffledBatchesAreASeededPermutation() {
        List<Integer> first = order(Minibatches.shuffled(data, 3, 5, null));

        assertEquals(first, order(Minibatches.shuffled(data, 3, 5, null)));
        assertNotEquals(first, order(Minibatches.shuffled(data, 3, 6, null)));
        List<Integer> sorted = new ArrayList<>(first);
        sorted.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sorted);
        assertEquals(4, Minibatches.shuffled(data, 3, 5, null).size());
    }

    @Test
    void normalizedFeaturesHaveZeroMeanAndUnitVariancePerChannel() {
        LabeledImages images = TestFiles.randomImages(50, 3, 8, 8, 10, 2);
        ChannelNormalization norm = ChannelNormalization.fit(images);

        float[][] features = Minibatches.of(images, 50, norm).get(0).getFeatures().toFloatMatrix();

        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sumOfSquares = 0;
            for (float[] example : features) {
                for (int p = c * 64; p < (c + 1) * 64; p++) {
                    sum += example[p];
                    sumOfSquares += example[p] * example[p];
                }
            }
            double n = 50 * 64;
            assertEquals(0, sum / n, 1e-5, "mean of channel " + c);
            assertEquals(1, sumOfSquares / n, 1e-4, "variance of channel " + c);
            assertEquals(127.5 / 255, norm.mean(c), 0.02);
        }
        assertEquals((images.pixel(3, 70) / 255.0 - norm.mean(1)) / norm.std(1), features[3][70], 1e-5);
    }

    @Test
    void rejectsMismatchedNormalizationAndBadBatchSize() {
        ChannelNormalization grey = ChannelNormalization.fit(TestFiles.randomImages(5, 1, 2, 2, 10, 1));

        assertThrows(IllegalArgumentException.class, () -> Minibatches.of(data, 4, grey));
        assertThrows(IllegalArgumentException.class, () -> Minibatches.of(data, 0, null));
    }

    /** @return the examples in batch order, identified by their features */
    private List<Integer> order(List<DataSet> batches) {
        List<Integer> order = new ArrayList<>();
        for (DataSet batch : batches) {
            for (float[] features : batch.getFeatures().toFloatMatrix()) {
                order.add(find(features));
            }
        }
        return order;
    }

    private int find(float[] features) {
        for (int i = 0; i < data.count(); i++) {
            if (java.util.Arrays.equals(data.features(i, i + 1), features)) {
                return i;
            }
        }
        throw new AssertionError("features of no example");
    }
}
