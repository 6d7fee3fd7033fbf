package org.sparsevd.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loads the real Fashion-MNIST installed on the development machines. */
class FashionMnistTest {

    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static TrainAndTestSets data;

    @BeforeAll
    static void load() {
        assertTrue(Files.isDirectory(DIR), "Fashion-MNIST is not installed at " + DIR + ": apt-get install dataset-fashion-mnist");
        data = IdxDataset.loadDirectory(DIR.toUri(), null, new Configuration());
    }

    @Test
    void hasTheKnownShape() {
        for (LabeledImages set : new LabeledImages[] {data.train(), data.test()}) {
            assertEquals(1, set.channels());
            assertEquals(28, set.height());
            assertEquals(28, set.width());
            assertEquals(784, set.featureSize());
            assertEquals(10, set.numClasses());
        }
        assertEquals(60000, data.train().count());
        assertEquals(10000, data.test().count());
    }

    @Test
    void classesAreBalanced() {
        int[] train = new int[10];
        int[] test = new int[10];
        java.util.Arrays.fill(train, 6000);
        java.util.Arrays.fill(test, 1000);
        assertArrayEquals(train, data.train().classCounts());
        assertArrayEquals(test, data.test().classCounts());
    }

    @Test
    void firstExamplesMatchTheFileBytes() throws IOException {
        byte[] trainLabelHeader = readGzipPrefix(DIR.resolve("train-labels-idx1-ubyte.gz"), 9);
        byte[] testLabelHeader = readGzipPrefix(DIR.resolve("t10k-labels-idx1-ubyte.gz"), 9);
        byte[] firstImage = readGzipPrefix(DIR.resolve("train-images-idx3-ubyte.gz"), 16 + 784);

        assertEquals(Byte.toUnsignedInt(trainLabelHeader[8]), data.train().label(0));
        assertEquals(Byte.toUnsignedInt(testLabelHeader[8]), data.test().label(0));
        for (int p = 0; p < 784; p++) {
            assertEquals(Byte.toUnsignedInt(firstImage[16 + p]), data.train().pixel(0, p), "pixel " + p);
        }
    }

    @Test
    void featuresAreScaledToTheUnitInterval() {
        float[] features = data.train().features(0, data.train().count());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float f : features) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        assertEquals(60000 * 784, features.length);
        assertEquals(0f, min);
        assertEquals(1f, max);
        assertEquals(data.train().pixel(0, 400) / 255f, features[400]);
    }

    private static byte[] readGzipPrefix(Path file, int length) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            byte[] prefix = new byte[length];
            new DataInputStream(in).readFully(prefix);
            return prefix;
        }
    }
}
