package org.sparsevd.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainingSubsetTest {

    /** 250 examples whose first pixel is their index, so a subset shows which examples it took. */
    private static LabeledImages numbered() {
        int count = 250;
        byte[] pixels = new byte[count * 4];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            pixels[i * 4] = (byte) i;
            pixels[i * 4 + 1] = (byte) (i * 7);
            labels[i] = (byte) (i % 10);
        }
        return new LabeledImages("test:numbered", pixels, labels, 1, 2, 2, 10);
    }

    private static int[] firstPixels(LabeledImages data) {
        int[] ids = new int[data.count()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = data.pixel(i, 0);
        }
        return ids;
    }

    private static int[] labels(LabeledImages data) {
        int[] labels = new int[data.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.label(i);
        }
        return labels;
    }

    @Test
    void limitKeepsNDistinctExamplesWithTheirLabels() {
        LabeledImages data = numbered();

        LabeledImages subset = TrainingSubset.limit(data, 40, 1);

        assertEquals(40, subset.count());
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < subset.count(); i++) {
            int id = subset.pixel(i, 0);
            assertTrue(ids.add(id), "example " + id + " taken twice");
            assertEquals(id % 10, subset.label(i));
            assertEquals((id * 7) & 0xff, subset.pixel(i, 1));
        }
    }

    @Test
    void limitIsDeterministicForASeed() {
        LabeledImages data = numbered();

        assertArrayEquals(firstPixels(TrainingSubset.limit(data, 40, 1)),
                firstPixels(TrainingSubset.limit(data, 40, 1)));
        assertNotEquals(java.util.Arrays.toString(firstPixels(TrainingSubset.limit(data, 40, 1))),
                java.util.Arrays.toString(firstPixels(TrainingSubset.limit(data, 40, 2))));
    }

    @Test
    void limitOfAtLeastTheCountKeepsEverything() {
        LabeledImages data = numbered();

        assertSame(data, TrainingSubset.limit(data, 250, 1));
        assertSame(data, TrainingSubset.limit(data, 1000, 1));
        assertEquals(1, TrainingSubset.limit(data, 1, 1).count());
        assertThrows(IllegalArgumentException.class, () -> TrainingSubset.limit(data, 0, 1));
    }

    @Test
    void randomizeLabelsReplacesExactlyTheChosenLabels() {
        LabeledImages data = TestFiles.randomImages(10001, 1, 1, 1, 10, 5);
        int replaced = (int) Math.round(0.35 * 10001);
        Set<Integer> chosen = new HashSet<>();
        for (int index : TrainingSubset.chooseIndices(10001, replaced, new Random(9))) {
            chosen.add(index);
        }

        LabeledImages randomized = TrainingSubset.randomizeLabels(data, 0.35, 9);

        assertEquals(3500, chosen.size());
        int changed = 0;
        for (int i = 0; i < data.count(); i++) {
            if (randomized.label(i) != data.label(i)) {
                assertTrue(chosen.contains(i), "label " + i + " changed but was not chosen");
                changed++;
            }
            assertEquals(data.pixel(i, 0), randomized.pixel(i, 0));
        }
        // A replaced label keeps its value with probability 1/10: about 3150 of 3500 change.
        assertTrue(changed > 3050 && changed < 3250, "changed " + changed);
    }

    @Test
    void randomLabelsAreUniform() {
        LabeledImages data = new LabeledImages("test:zeros", new byte[20000], new byte[20000], 1, 1, 1, 10);

        int[] counts = TrainingSubset.randomizeLabels(data, 1.0, 4).classCounts();

        for (int count : counts) {
            assertTrue(count > 1800 && count < 2200, java.util.Arrays.toString(counts));
        }
    }

    @Test
    void randomizeLabelsIsDeterministicForASeed() {
        LabeledImages data = numbered();

        assertArrayEquals(labels(TrainingSubset.randomizeLabels(data, 0.5, 3)),
                labels(TrainingSubset.randomizeLabels(data, 0.5, 3)));
        assertNotEquals(java.util.Arrays.toString(labels(TrainingSubset.randomizeLabels(data, 0.5, 3))),
                java.util.Arrays.toString(labels(TrainingSubset.randomizeLabels(data, 0.5, 4))));
        assertArrayEquals(labels(data), labels(TrainingSubset.randomizeLabels(data, 0, 3)));
    }

    @Test
    void randomizeLabelsChecksTheFraction() {
        LabeledImages data = numbered();

        assertThrows(IllegalArgumentException.class, () -> TrainingSubset.randomizeLabels(data, -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainingSubset.randomizeLabels(data, 1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainingSubset.randomizeLabels(data, Double.NaN, 1));
    }

    @Test
    void holdOutSplitsDisjointlyStratifiedAndKeepsOrder() {
        LabeledImages data = numbered(); // 25 examples of each of 10 classes

        TrainingSubset.Split split = TrainingSubset.holdOut(data, 50, 1);

        assertEquals(200, split.train().count());
        assertEquals(50, split.validation().count());
        int[] perClass = split.validation().classCounts();
        for (int count : perClass) {
            assertEquals(5, count, java.util.Arrays.toString(perClass));
        }
        Set<Integer> seen = new HashSet<>();
        for (LabeledImages part : new LabeledImages[] {split.train(), split.validation()}) {
            int[] ids = firstPixels(part);
            for (int k = 0; k < ids.length; k++) {
                int id = ids[k] & 0xff;
                assertTrue(seen.add(id), "example " + id + " in both parts");
                assertEquals(id % 10, part.label(k), "label kept");
                if (k > 0) {
                    assertTrue(id > (ids[k - 1] & 0xff), "original order");
                }
            }
        }
        assertEquals(250, seen.size());
    }

    @Test
    void holdOutIsDeterministicForASeed() {
        LabeledImages data = numbered();

        assertArrayEquals(firstPixels(TrainingSubset.holdOut(data, 30, 5).validation()),
                firstPixels(TrainingSubset.holdOut(data, 30, 5).validation()));
        assertNotEquals(java.util.Arrays.toString(firstPixels(TrainingSubset.holdOut(data, 30, 5).validation())),
                java.util.Arrays.toString(firstPixels(TrainingSubset.holdOut(data, 30, 6).validation())));
    }

    @Test
    void quotasFollowTheClassSharesAndLeaveEveryClassAnExample() {
        assertArrayEquals(new int[] {2, 1, 0}, TrainingSubset.stratifiedQuotas(new int[] {60, 30, 10}, 3));
        assertArrayEquals(new int[] {6, 3, 1}, TrainingSubset.stratifiedQuotas(new int[] {60, 30, 10}, 10));
        // the most that can be held out: all but one of each class, the empty class excepted
        assertArrayEquals(new int[] {59, 29, 0, 9}, TrainingSubset.stratifiedQuotas(new int[] {60, 30, 0, 10}, 97));
        assertArrayEquals(new int[] {0, 1}, TrainingSubset.stratifiedQuotas(new int[] {1, 5}, 1));
    }

    @Test
    void holdOutChecksTheCount() {
        LabeledImages data = numbered();

        assertEquals(240, TrainingSubset.maxHeldOut(data));
        assertEquals(10, TrainingSubset.holdOut(data, 240, 1).train().count());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> TrainingSubset.holdOut(data, 241, 1));
        assertEquals("cannot hold out 241 of 250 examples in 10 classes: between 1 and 240 can be (every class keeps "
                + "one example to train on)", tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingSubset.holdOut(data, 0, 1));
    }
}
