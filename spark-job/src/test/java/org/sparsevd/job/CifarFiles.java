package org.sparsevd.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.sparsevd.datasets.Cifar10Reader;

/**
 * Writes small CIFAR-10 binary files ({@code data_batch_1..5.bin}, {@code test_batch.bin}: a label byte then
 * 3×32×32 pixel bytes per record) whose classes are learnable: each class has its own mean colour plus noise.
 */
public final class CifarFiles {
    private CifarFiles() {
    }

    /** Writes {@code perBatch} records into each training batch and {@code test} into the test batch. */
    public static Path write(Path dir, int perBatch, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        for (String name : Cifar10Reader.TRAIN_BATCHES) {
            Files.write(dir.resolve(name), batch(perBatch, random));
        }
        Files.write(dir.resolve(Cifar10Reader.TEST_BATCH), batch(test, random));
        return dir;
    }

    private static byte[] batch(int records, Random random) {
        byte[] out = new byte[records * Cifar10Reader.RECORD_BYTES];
        int plane = Cifar10Reader.SIDE * Cifar10Reader.SIDE;
        for (int r = 0; r < records; r++) {
            int label = random.nextInt(Cifar10Reader.NUM_CLASSES);
            int offset = r * Cifar10Reader.RECORD_BYTES;
            out[offset] = (byte) label;
            for (int c = 0; c < Cifar10Reader.CHANNELS; c++) {
                int mean = 40 + 20 * ((label + 3 * c) % 10);
                for (int p = 0; p < plane; p++) {
                    int v = mean + (int) (random.nextGaussian() * 30);
                    out[offset + 1 + c * plane + p] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return out;
    }
}
