package org.sparsevd.core.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KlWeightScheduleTest {

    /** The reference trainer: 0.0 if ep &lt; 5 else min((ep - 5) / 15.0, 1.0). */
    static double reference(int ep) {
        return ep < 5 ? 0.0 : Math.min((ep - 5) / 15.0, 1.0);
    }

    @Test
    void paperSchedule() {
        KlWeightSchedule s = KlWeightSchedule.linearWarmup(1.0, 5, 15);
        assertEquals(0.0, s.weight(0));
        assertEquals(0.0, s.weight(4));
        assertEquals(0.0, s.weight(5));
        assertEquals(1.0 / 15, s.weight(6), 1e-15);
        assertEquals(14.0 / 15, s.weight(19), 1e-15);
        assertEquals(1.0, s.weight(20));
        assertEquals(1.0, s.weight(25));
        for (int ep = 0; ep < 40; ep++) {
            assertEquals(reference(ep), s.weight(ep), 1e-15, "epoch " + ep);
        }
        assertEquals(KlWeightSchedule.linearWarmup(1, 5, 15), s);
        assertEquals(s.hashCode(), KlWeightSchedule.linearWarmup(1, 5, 15).hashCode());
    }

    @Test
    void otherShapes() {
        KlWeightSchedule step = KlWeightSchedule.linearWarmup(2.0, 3, 0);
        assertEquals(0.0, step.weight(2));
        assertEquals(2.0, step.weight(3));
        assertEquals(2.0, step.weight(100));
        assertEquals(0.5, KlWeightSchedule.constant(0.5).weight(0));
        assertEquals(0.5, KlWeightSchedule.constant(0.5).weight(7));
        KlWeightSchedule ramp = KlWeightSchedule.linearWarmup(3.0, 0, 4);
        assertEquals(0.0, ramp.weight(0));
        assertEquals(0.75, ramp.weight(1), 1e-15);
        assertEquals(3.0, ramp.weight(4));
        assertNotEquals(ramp, step);
        assertEquals(3.0, ramp.target());
        assertEquals(0, ramp.zeroEpochs());
        assertEquals(4, ramp.rampEpochs());
    }

    @Test
    void epochsToTargetAndEpochsAtZeroFollowTheWeights() {
        for (KlWeightSchedule s : java.util.List.of(KlWeightSchedule.linearWarmup(1.0, 5, 15), KlWeightSchedule.linearWarmup(0.3, 1, 1),
                KlWeightSchedule.linearWarmup(2, 3, 0), KlWeightSchedule.linearWarmup(1, 0, 4),
                KlWeightSchedule.constant(0.5))) {
            int needed = s.epochsToTarget();
            assertEquals(s.target(), s.weight(needed - 1), s.toString());
            if (needed >= 2) {
                assertTrue(s.weight(needed - 2) < s.target(), "not one epoch earlier: " + s);
            }
            for (int epochs = 1; epochs < 30; epochs++) {
                boolean zero = true;
                for (int e = 0; e < epochs; e++) {
                    zero &= s.weight(e) == 0;
                }
                assertEquals(zero, epochs <= s.epochsAtZero(), s + ", " + epochs + " epochs");
            }
        }
        assertEquals(21, KlWeightSchedule.linearWarmup(1.0, 5, 15).epochsToTarget(), "the paper's code: 1 from the 21st epoch");
        assertEquals(14.0 / 15, KlWeightSchedule.linearWarmup(1.0, 5, 15).weight(19), 1e-15, "0.933 in the 20th epoch");
        assertEquals(2, KlWeightSchedule.linearWarmup(1, 1, 1).epochsAtZero(),
                "--epochs 2 --kl-zero-epochs 1 --kl-ramp-epochs 1 never trains with a KL term");
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> KlWeightSchedule.linearWarmup(Double.NaN, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> KlWeightSchedule.linearWarmup(-1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> KlWeightSchedule.linearWarmup(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> KlWeightSchedule.linearWarmup(1, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> KlWeightSchedule.constant(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> KlWeightSchedule.linearWarmup(1.0, 5, 15).weight(-1));
    }
}
