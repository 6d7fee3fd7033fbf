package org.sparsevd.job.config;

import org.sparsevd.core.schedule.KlWeightSchedule;

/**
 * Epochs, the Adam learning rate with its per-epoch schedule, and the KL-weight warm-up.
 *
 * @param epochs        number of passes over the training set
 * @param learningRate  Adam learning rate at epoch 1
 * @param lrDecay       {@code constant}, or {@code linear} (to {@code lrFinal} at the last epoch)
 * @param lrFinal       learning rate reached at the last epoch under linear decay
 * @param klWeight      target KL weight (1 is the SGVLB of the paper)
 * @param klZeroEpochs  epochs trained with KL weight 0 before the ramp
 * @param klRampEpochs  epochs over which the weight rises linearly to {@code klWeight}, starting at 0 (see
 *                      {@link KlWeightSchedule}: epoch k, counted from 1, trains with
 *                      {@code klWeight · clamp((k − 1 − klZeroEpochs) / klRampEpochs, 0, 1)})
 */
public record ScheduleOptions(int epochs, double learningRate, String lrDecay, double lrFinal, double klWeight,
                              int klZeroEpochs, int klRampEpochs) {
    public ScheduleOptions {
        Checks.positive("--epochs", epochs);
        Checks.finitePositive("--lr", learningRate);
        Checks.required("--lr-decay", lrDecay);
        if (!lrDecay.equals("constant") && !lrDecay.equals("linear")) {
            throw new JobConfigException("--lr-decay must be 'constant' or 'linear', got '" + lrDecay + "'");
        }
        Checks.finiteNonNegative("--lr-final", lrFinal);
        Checks.finiteNonNegative("--kl-weight", klWeight);
        Checks.nonNegative("--kl-zero-epochs", klZeroEpochs);
        Checks.nonNegative("--kl-ramp-epochs", klRampEpochs);
    }

    /** The KL weight of every epoch of a Sparse VD run (a baseline without Sparse VD layers has none). */
    public KlWeightSchedule klSchedule() {
        return KlWeightSchedule.linearWarmup(klWeight, klZeroEpochs, klRampEpochs);
    }
}
