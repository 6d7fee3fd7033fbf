package org.sparsevd.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cuts {@link LabeledImages} into ND4J minibatches: features {@code float [b, channels * height * width]}, CHW
 * flattened (the network configuration sets the input type), and one-hot labels {@code float [b, numClasses]}. The
 * last batch keeps the remaining examples even if there are fewer than the batch size.
 */
public final class Minibatches {

    private Minibatches() {
    }

    /**
     * Minibatches of the examples in their stored order.
     *
     * @param data          the examples
     * @param batchSize     examples per batch, at least 1
     * @param normOrNull    per-channel normalisation, or {@code null} for pixels scaled to {@code [0, 1]}
     * @return {@code ceil(count / batchSize)} batches
     */
    public static List<DataSet> of(LabeledImages data, int batchSize, ChannelNormalization normOrNull) {
        Objects.requireNonNull(data, "data");
        int[] order = new int[data.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return batches(data, order, batchSize, normOrNull);
    }

    /**
     * Minibatches of the examples in a random order, the same for the same data and seed: one epoch.
     *
     * @param data          the examples
     * @param batchSize     examples per batch, at least 1
     * @param seed          seed of the permutation
     * @param normOrNull    per-channel normalisation, or {@code null} for pixels scaled to {@code [0, 1]}
     * @return {@code ceil(count / batchSize)} batches
     */
    public static List<DataSet> shuffled(LabeledImages data, int batchSize, long seed,
                                         ChannelNormalization normOrNull) {
        Objects.requireNonNull(data, "data");
        int[] order = TrainingSubset.chooseIndices(data.count(), data.count(), new Random(seed));
        return batches(data, order, batchSize, normOrNull);
    }

    private static List<DataSet> batches(LabeledImages data, int[] order, int batchSize,
                                         ChannelNormalization normOrNull) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        float[][] tables = data.lookupTables(
                normOrNull == null ? ChannelNormalization.unitScale(data.channels()) : normOrNull);
        int featureSize = data.featureSize();
        int numClasses = data.numClasses();
        List<DataSet> batches = new ArrayList<>((order.length + batchSize - 1) / batchSize);
        for (int start = 0; start < order.length; start += batchSize) {
            int size = Math.min(batchSize, order.length - start);
            float[] features = new float[size * featureSize];
            float[] labels = new float[size * numClasses];
            for (int j = 0; j < size; j++) {
                int example = order[start + j];
                data.writeFeatures(example, features, j * featureSize, tables);
                labels[j * numClasses + data.label(example)] = 1f;
            }
            batches.add(new DataSet(Nd4j.create(features, new long[] {size, featureSize}, 'c'),
                    Nd4j.create(labels, new long[] {size, numClasses}, 'c')));
        }
        return batches;
    }
}
