package org.sparsevd.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writers of small data files in the real IDX and CIFAR-10 formats, for tests. */
final class TestFiles {

    private TestFiles() {
    }

    /** @return an IDX file: the magic number, the dimensions, then the data, without any checks */
    static byte[] idx(int magic, int[] dimensions, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + data.length);
        buffer.putInt(magic);
        for (int d : dimensions) {
            buffer.putInt(d);
        }
        buffer.put(data);
        return buffer.array();
    }

    /** @return a valid images file of {@code pixels.length / (rows * columns)} images */
    static byte[] idxImages(byte[] pixels, int rows, int columns) {
        return idx(IdxReader.IMAGES_MAGIC, new int[] {pixels.length / (rows * columns), rows, columns}, pixels);
    }

    /** @return a valid labels file */
    static byte[] idxLabels(byte[] labels) {
        return idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, labels);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    static byte[] randomBytes(int length, Random random) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** @return labels in {@code [0, numClasses)} */
    static byte[] randomLabels(int count, int numClasses, Random random) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) random.nextInt(numClasses);
        }
        return labels;
    }

    /** @return CIFAR-10 records: each label byte followed by its 3072 pixel bytes */
    static byte[] cifarBatch(byte[] labels, byte[] pixels) {
        int pixelBytes = Cifar10Reader.RECORD_BYTES - 1;
        byte[] batch = new byte[labels.length * Cifar10Reader.RECORD_BYTES];
        for (int r = 0; r < labels.length; r++) {
            batch[r * Cifar10Reader.RECORD_BYTES] = labels[r];
            System.arraycopy(pixels, r * pixelBytes, batch, r * Cifar10Reader.RECORD_BYTES + 1, pixelBytes);
        }
        return batch;
    }

    /** @return a small in-memory data set with random pixels and labels */
    static LabeledImages randomImages(int count, int channels, int height, int width, int numClasses, long seed) {
        Random random = new Random(seed);
        return new LabeledImages("test:random", randomBytes(count * channels * height * width, random),
                randomLabels(count, numClasses, random), channels, height, width, numClasses);
    }
}
