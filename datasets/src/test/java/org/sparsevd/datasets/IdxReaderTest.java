package org.sparsevd.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    private static final Configuration CONF = new Configuration();
    private static final int ROWS = 5;
    private static final int COLUMNS = 4;

    @TempDir
    Path dir;

    private final Random random = new Random(42);
    private final byte[] pixels = TestFiles.randomBytes(7 * ROWS * COLUMNS, random);
    private final byte[] labels = TestFiles.randomLabels(7, 10, random);

    @Test
    void rawFilesRoundTrip() throws Exception {
        URI images = TestFiles.write(dir.resolve("images"), TestFiles.idxImages(pixels, ROWS, COLUMNS)).toUri();
        URI labelsFile = TestFiles.write(dir.resolve("labels"), TestFiles.idxLabels(labels)).toUri();

        assertLoadedEqual(IdxDataset.load(images, labelsFile, CONF, 10));
    }

    @Test
    void gzipFilesRoundTrip() throws Exception {
        URI images = TestFiles.write(dir.resolve("images.gz"),
                TestFiles.gzip(TestFiles.idxImages(pixels, ROWS, COLUMNS))).toUri();
        URI labelsFile = TestFiles.write(dir.resolve("labels.gz"), TestFiles.gzip(TestFiles.idxLabels(labels))).toUri();

        assertLoadedEqual(IdxDataset.load(images, labelsFile, CONF, 10));
    }

    @Test
    void gzipIsRecognisedByContentNotName() throws Exception {
        URI images = TestFiles.write(dir.resolve("images-idx3-ubyte"),
                TestFiles.gzip(TestFiles.idxImages(pixels, ROWS, COLUMNS))).toUri();
        URI labelsFile = TestFiles.write(dir.resolve("labels.bin"), TestFiles.gzip(TestFiles.idxLabels(labels)))
                .toUri();

        assertLoadedEqual(IdxDataset.load(images, labelsFile, CONF, 10));
    }

    @Test
    void rawFileNamedGzIsReadRaw() throws Exception {
        URI labelsFile = TestFiles.write(dir.resolve("labels.gz"), TestFiles.idxLabels(labels)).toUri();

        IdxArray read = IdxReader.readLabels(labelsFile, CONF, 10);

        assertEquals(labels.length, read.count());
        assertEquals(Arrays.toString(labels), Arrays.toString(read.data()));
    }

    @Test
    void truncatedImages() throws Exception {
        byte[] file = TestFiles.idxImages(pixels, ROWS, COLUMNS);
        URI uri = TestFiles.write(dir.resolve("short"), Arrays.copyOf(file, file.length - 100)).toUri();

        assertProblem(uri, "truncated: header says 7 images of 5x4 (140 bytes) but the file has 40 bytes of data",
                () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void truncatedGzipStream() throws Exception {
        byte[] gz = TestFiles.gzip(TestFiles.idxImages(pixels, ROWS, COLUMNS));
        URI uri = TestFiles.write(dir.resolve("short.gz"), Arrays.copyOf(gz, gz.length / 2)).toUri();

        assertProblem(uri, "corrupt or truncated compressed data (EOFException: Unexpected end of ZLIB input stream)",
                () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void truncatedHeader() throws Exception {
        byte[] file = TestFiles.idxImages(pixels, ROWS, COLUMNS);
        URI uri = TestFiles.write(dir.resolve("header"), Arrays.copyOf(file, 10)).toUri();

        assertProblem(uri, "truncated header: the file has only 10 bytes but a header with 3 dimensions needs 16",
                () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void trailingBytes() throws Exception {
        byte[] file = TestFiles.idxLabels(labels);
        URI uri = TestFiles.write(dir.resolve("long"), Arrays.copyOf(file, file.length + 3)).toUri();

        assertProblem(uri, "trailing garbage: header says 7 labels (7 bytes) but the file has 10 bytes of data"
                + " (3 too many)", () -> IdxReader.readLabels(uri, CONF, 10));
    }

    @Test
    void wrongMagic() throws Exception {
        URI uri = TestFiles.write(dir.resolve("zero"),
                TestFiles.idx(0, new int[] {7, ROWS, COLUMNS}, pixels)).toUri();

        assertProblem(uri, "bad magic number 0x00000000 (expected 0x00000803 for unsigned-byte images)",
                () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void labelsFileGivenAsImages() throws Exception {
        URI uri = TestFiles.write(dir.resolve("labels"), TestFiles.idxLabels(labels)).toUri();

        assertProblem(uri, "bad magic number 0x00000801 (expected 0x00000803 for unsigned-byte images): this is an"
                + " IDX unsigned-byte labels file", () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void wrongNumberOfDimensions() throws Exception {
        URI uri = TestFiles.write(dir.resolve("rank2"),
                TestFiles.idx(0x00000802, new int[] {7, ROWS * COLUMNS}, pixels)).toUri();

        assertProblem(uri, "bad magic number 0x00000802 (expected 0x00000803 for unsigned-byte images): an IDX file"
                + " with 2 dimensions instead of 3", () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void notUnsignedBytes() throws Exception {
        URI uri = TestFiles.write(dir.resolve("floats"),
                TestFiles.idx(0x00000d03, new int[] {7, ROWS, COLUMNS}, pixels)).toUri();

        assertProblem(uri, "unsupported IDX element type 0x0d (float) in magic number 0x00000d03; only unsigned"
                + " byte (0x08) is supported", () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void zeroDimension() throws Exception {
        URI uri = TestFiles.write(dir.resolve("flat"),
                TestFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {7, 0, COLUMNS}, new byte[0])).toUri();

        assertProblem(uri, "dimension 2 of 3 is 0 (header: 7 x 0 x 4); every dimension must be positive",
                () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void labelOutOfRange() throws Exception {
        byte[] bad = labels.clone();
        bad[3] = 12;
        bad[5] = (byte) 200;
        URI uri = TestFiles.write(dir.resolve("labels"), TestFiles.idxLabels(bad)).toUri();

        assertProblem(uri, "label 12 at index 3 is out of range [0, 10) (2 labels out of range in all)",
                () -> IdxReader.readLabels(uri, CONF, 10));
    }

    @Test
    void imageAndLabelCountsDiffer() throws Exception {
        URI images = TestFiles.write(dir.resolve("images"), TestFiles.idxImages(pixels, ROWS, COLUMNS)).toUri();
        URI labelsFile = TestFiles.write(dir.resolve("labels"),
                TestFiles.idxLabels(Arrays.copyOf(labels, 6))).toUri();

        assertProblem(labelsFile, "has 6 labels but " + images + " has 7 images",
                () -> IdxDataset.load(images, labelsFile, CONF, 10));
    }

    @Test
    void emptyFile() throws Exception {
        URI uri = TestFiles.write(dir.resolve("empty"), new byte[0]).toUri();

        assertProblem(uri, "empty file", () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void emptyGzipContent() throws Exception {
        URI uri = TestFiles.write(dir.resolve("empty.gz"), TestFiles.gzip(new byte[0])).toUri();

        assertProblem(uri, "empty file", () -> IdxReader.readLabels(uri, CONF, 10));
    }

    @Test
    void missingFile() {
        URI uri = dir.resolve("absent-idx1-ubyte").toUri();

        assertProblem(uri, "no such file", () -> IdxReader.readLabels(uri, CONF, 10));
    }

    @Test
    void directoryInsteadOfFile() throws Exception {
        URI uri = Files.createDirectory(dir.resolve("sub")).toUri();

        assertProblem(uri, "is a directory, expected a file", () -> IdxReader.readImages(uri, CONF));
    }

    @Test
    void unknownFileSystem() {
        URI uri = URI.create("nosuchfs://host/data/train-images-idx3-ubyte");

        assertProblem(uri, "not readable: UnsupportedFileSystemException: No FileSystem for scheme \"nosuchfs\"",
                () -> IdxReader.readImages(uri, CONF));
    }

    /** Asserts that {@code action} fails with exactly {@code "<uri>: <problem>"}. */
    static void assertProblem(URI uri, String problem, Runnable action) {
        DatasetException e = assertThrows(DatasetException.class, action::run);
        assertEquals(uri + ": " + problem, e.getMessage());
        assertEquals(uri.toString(), e.source());
        assertEquals(problem, e.problem());
    }

    private void assertLoadedEqual(LabeledImages loaded) {
        assertEquals(7, loaded.count());
        assertEquals(1, loaded.channels());
        assertEquals(ROWS, loaded.height());
        assertEquals(COLUMNS, loaded.width());
        assertEquals(10, loaded.numClasses());
        for (int i = 0; i < loaded.count(); i++) {
            assertEquals(Byte.toUnsignedInt(labels[i]), loaded.label(i), "label " + i);
            for (int p = 0; p < ROWS * COLUMNS; p++) {
                assertEquals(Byte.toUnsignedInt(pixels[i * ROWS * COLUMNS + p]), loaded.pixel(i, p));
            }
        }
    }
}
