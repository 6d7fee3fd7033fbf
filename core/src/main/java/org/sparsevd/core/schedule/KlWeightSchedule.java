package org.sparsevd.core.schedule;

import java.io.Serializable;

/**
 * The KL weight as a function of the (0-based) epoch: zero for {@code zeroEpochs} epochs, then a linear ramp over
 * {@code rampEpochs} epochs up to {@code target}, then constant:
 * <pre>
 *   weight(e) = target · clamp((e − zeroEpochs) / rampEpochs, 0, 1)        (rampEpochs = 0: a step at zeroEpochs)
 * </pre>
 * The ramp starts at 0, so with a ramp the weight is 0 in the first {@code zeroEpochs + 1} epochs and reaches
 * {@code target} in the {@code (zeroEpochs + rampEpochs + 1)}-th ({@link #epochsToTarget()}).
 * {@code linearWarmup(1, 5, 15)} is the schedule of the paper's code (Molchanov, Ashukha, Vetrov, 2017; the
 * reference trainer's {@code 0.0 if ep < 5 else min((ep - 5) / 15.0, 1.0)}): 0 for 0-based epochs 0–5, then 1/15, 2/15, …, 14/15 in
 * epoch 19, and 1 from epoch 20 on; counted from 1: 0 in epochs 1–6, 14/15 ≈ 0.933 in epoch 20, 1 from epoch 21.
 */
public record KlWeightSchedule(double target, int zeroEpochs, int rampEpochs) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @param target     the weight after the ramp, finite and ≥ 0
     * @param zeroEpochs epochs at weight 0 before the ramp, ≥ 0
     * @param rampEpochs epochs of the linear ramp from 0, ≥ 0
     */
    public KlWeightSchedule {
        if (!Double.isFinite(target) || target < 0) {
            throw new IllegalArgumentException("target KL weight must be finite and >= 0, got " + target);
        }
        if (zeroEpochs < 0) {
            throw new IllegalArgumentException("zeroEpochs must be >= 0, got " + zeroEpochs);
        }
        if (rampEpochs < 0) {
            throw new IllegalArgumentException("rampEpochs must be >= 0, got " + rampEpochs);
        }
    }

    /** 0 for {@code zeroEpochs} epochs, then linear to {@code target} over {@code rampEpochs} epochs. */
    public static KlWeightSchedule linearWarmup(double target, int zeroEpochs, int rampEpochs) {
        return new KlWeightSchedule(target, zeroEpochs, rampEpochs);
    }

    /** The same weight at every epoch. */
    public static KlWeightSchedule constant(double weight) {
        return linearWarmup(weight, 0, 0);
    }

    /** The KL weight for a 0-based epoch. */
    public double weight(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0 (0-based), got " + epoch);
        }
        if (epoch < zeroEpochs) {
            return 0.0;
        }
        if (rampEpochs == 0) {
            return target;
        }
        return target * Math.min((double) (epoch - zeroEpochs) / rampEpochs, 1.0);
    }

    /**
     * How many epochs a run needs for its last epoch to train at {@link #target()}: {@code zeroEpochs + rampEpochs
     * + 1} (the ramp's first epoch has weight 0).
     */
    public int epochsToTarget() {
        return zeroEpochs + rampEpochs + 1;
    }

    /**
     * How many epochs train at weight 0 whatever the target: the first {@code zeroEpochs}, and the ramp's first. A
     * run of no more epochs than this never trains with the KL term.
     */
    public int epochsAtZero() {
        return zeroEpochs + (rampEpochs > 0 ? 1 : 0);
    }

    @Override
    public String toString() {
        return "KlWeightSchedule{target=" + target + ", zeroEpochs=" + zeroEpochs + ", rampEpochs=" + rampEpochs + "}";
    }
}
