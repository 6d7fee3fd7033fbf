package org.sparsevd.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class AugmentationTest {

    private static final int C = 3;
    private static final int H = 6;
    private static final int W = 5;

    private final LabeledImages data = TestFiles.randomImages(16, C, H, W, 10, 8);

    private DataSet batch() {
        return Minibatches.of(data, 16, null).get(0);
    }

    @Test
    void zeroShiftWithoutFlipIsTheIdentity() {
        float[] image = data.features(0, 1);
        float[] out = new float[image.length];

        Augmentation.cropAndFlip(image, out, 0, C, H, W, 0, 0, false);

        assertArrayEquals(image, out);
    }

    @Test
    void flipMirrorsEachRow() {
        float[] image = data.features(0, 1);
        float[] flipped = new float[image.length];

        Augmentation.cropAndFlip(image, flipped, 0, C, H, W, 0, 0, true);

        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    assertEquals(image[(c * H + y) * W + W - 1 - x], flipped[(c * H + y) * W + x]);
                }
            }
        }
    }

    @Test
    void shiftMovesPixelsAndPadsWithZeros() {
        float[] image = data.features(0, 1);
        float[] shifted = new float[image.length];

        Augmentation.cropAndFlip(image, shifted, 0, C, H, W, 2, -1, false);

        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean inside = y + 2 < H && x - 1 >= 0;
                    float expected = inside ? image[(c * H + y + 2) * W + x - 1] : 0f;
                    assertEquals(expected, shifted[(c * H + y) * W + x], "c=" + c + " y=" + y + " x=" + x);
                }
            }
        }
    }

    @Test
    void applyKeepsShapeAndLabelsAndIsSeeded() {
        DataSet original = batch();
        DataSet first = batch();
        DataSet second = batch();
        DataSet other = batch();

        Augmentation.apply(first, C, H, W, new Random(1));
        Augmentation.apply(second, C, H, W, new Random(1));
        Augmentation.apply(other, C, H, W, new Random(2));

        assertArrayEquals(original.getFeatures().shape(), first.getFeatures().shape());
        assertEquals(original.getLabels(), first.getLabels());
        assertEquals(first.getFeatures(), second.getFeatures());
        assertFalse(first.getFeatures().equals(other.getFeatures()));
        assertFalse(first.getFeatures().equals(original.getFeatures()));
        float[][] before = original.getFeatures().toFloatMatrix();
        float[][] after = first.getFeatures().toFloatMatrix();
        for (int i = 0; i < before.length; i++) {
            Set<Float> values = new HashSet<>();
            for (float v : before[i]) {
                values.add(v);
            }
            values.add(0f);
            for (float v : after[i]) {
                assertTrue(values.contains(v), "value " + v + " of example " + i + " came from elsewhere");
            }
        }
    }

    @Test
    void applyRejectsFeaturesOfAnotherShape() {
        DataSet batch = batch();

        assertThrows(IllegalArgumentException.class, () -> Augmentation.apply(batch, C, W, H + 1, new Random(1)));
        assertEquals(batch().getFeatures(), batch.getFeatures());
    }
}
