package org.sparsevd.job.metrics;

import java.util.List;

/**
 * What the driver measures after one epoch: one line of {@code metrics.jsonl}, one row of {@code metrics.csv}.
 * Later jobs (sweeps, reports) read this format.
 *
 * @param epoch          1-based epoch number
 * @param seconds        wall time of the epoch: training, evaluation and writing its checkpoint
 * @param elapsedSeconds wall time since training started, to the end of this epoch's checkpoint
 * @param klWeight       KL weight used during the epoch
 * @param learningRate   Adam learning rate used during the epoch
 * @param dataLoss       mean cross-entropy of the training minibatches, under the training noise, over the epoch
 * @param kl             total KL of all layers at the end of the epoch, in nats
 * @param sgvlb          the minimized objective per example, as an epoch mean like {@code dataLoss}: each minibatch's
 *                       {@code data loss + kl_weight * KL / N} with both terms on the parameters it was fitted from,
 *                       i.e. the negative SGVLB (eq. 3 of the paper) divided by the number N of examples trained on
 * @param trainExamples  N, the number of examples trained on (the training set without its validation examples)
 * @param valAccuracy    accuracy of the masked (deterministic) network on the held-out validation set, or
 *                       {@code null} without one (and in files written before validation splits existed)
 * @param testAccuracy   accuracy of the masked (deterministic) network on the test set
 * @param compression    total weights / non-zero weights
 * @param layers         per-layer sparsity and KL
 * @param trainAccuracy  the share of the epoch's training examples classified right in their training forward
 *                       passes (under the training noise, before each update: no extra pass over the data); null
 *                       in files written before it was recorded
 * @param testLoss       mean cross-entropy of the masked (deterministic) network on the test set; null in files
 *                       written before it was recorded
 */
public record EpochMetrics(int epoch, double seconds, double elapsedSeconds, double klWeight, double learningRate,
                           double dataLoss, double kl, double sgvlb, long trainExamples,
                           @AbsentInOlderFiles Double valAccuracy, double testAccuracy, double compression,
                           List<LayerMetrics> layers, @AbsentInOlderFiles Double trainAccuracy,
                           @AbsentInOlderFiles Double testLoss) {

    public EpochMetrics {
        layers = List.copyOf(layers);
    }

    /** These metrics with other wall times. */
    public EpochMetrics withTimes(double seconds, double elapsedSeconds) {
        return new EpochMetrics(epoch, seconds, elapsedSeconds, klWeight, learningRate, dataLoss, kl, sgvlb,
                trainExamples, valAccuracy, testAccuracy, compression, layers, trainAccuracy, testLoss);
    }

    /** The one-line human summary logged after each epoch. */
    public String summary(int totalEpochs, double etaSeconds) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "epoch %d/%d  %.1fs (eta %s)  kl_weight=%.3f lr=%.2g  data_loss=%.4f kl=%.1f sgvlb=%.4f  "
                        + "%stest_acc=%.4f  compression=%.2fx  sparsity",
                epoch, totalEpochs, seconds, formatDuration(etaSeconds), klWeight, learningRate, dataLoss, kl, sgvlb,
                valAccuracy == null ? "" : String.format(java.util.Locale.ROOT, "val_acc=%.4f ", valAccuracy),
                testAccuracy, compression));
        for (LayerMetrics l : layers) {
            sb.append(String.format(java.util.Locale.ROOT, " %s=%.1f%%", l.name(), 100 * l.sparsity()));
        }
        return sb.toString();
    }

    /** {@code 0m41s}, or {@code 1h05m} from an hour on. */
    public static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}
