package org.sparsevd.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsevd.datasets.IdxReaderTest.assertProblem;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {

    private static final Configuration CONF = new Configuration();
    private static final int RECORDS = 20;
    private static final int PIXEL_BYTES = Cifar10Reader.RECORD_BYTES - 1;

    @TempDir
    Path root;

    private Path batchDir;
    /** Labels and pixels of the six batches: the five training ones, then the test one. */
    private final List<byte[]> labels = new ArrayList<>();
    private final List<byte[]> pixels = new ArrayList<>();

    @BeforeEach
    void writeBatches() throws IOException {
        Random random = new Random(3);
        batchDir = root.resolve(Cifar10Reader.BATCH_DIRECTORY);
        List<String> names = new ArrayList<>(Cifar10Reader.TRAIN_BATCHES);
        names.add(Cifar10Reader.TEST_BATCH);
        for (String name : names) {
            byte[] batchLabels = TestFiles.randomLabels(RECORDS, 10, random);
            byte[] batchPixels = TestFiles.randomBytes(RECORDS * PIXEL_BYTES, random);
            labels.add(batchLabels);
            pixels.add(batchPixels);
            TestFiles.write(batchDir.resolve(name), TestFiles.cifarBatch(batchLabels, batchPixels));
        }
        TestFiles.write(batchDir.resolve("batches.meta.txt"), "airplane\n".getBytes());
    }

    @Test
    void readsTheBatchDirectory() {
        assertLoadedEqual(Cifar10Reader.load(batchDir.toUri(), CONF));
    }

    @Test
    void readsTheBatchDirectoryInsideAGivenDirectory() {
        TrainAndTestSets loaded = Cifar10Reader.load(root.toUri(), CONF);

        assertLoadedEqual(loaded);
        assertTrue(loaded.train().source().endsWith("/cifar-10-batches-bin/data_batch_{1..5}.bin"),
                loaded.train().source());
    }

    @Test
    void readsTheGzippedTarArchive() throws Exception {
        URI archive = tar(root.resolve("cifar-10-binary.tar.gz"), "-czf");

        TrainAndTestSets loaded = Cifar10Reader.load(archive, CONF);

        assertLoadedEqual(loaded);
        assertEquals(archive + "!/cifar-10-batches-bin/data_batch_{1..5}.bin", loaded.train().source());
        assertEquals(archive + "!/cifar-10-batches-bin/test_batch.bin", loaded.test().source());
    }

    @Test
    void readsAnUncompressedTarArchiveThroughAnotherFileSystem() throws Exception {
        URI archive = OtherSchemeFileSystem.uri(Path.of(tar(root.resolve("cifar-10-binary.tar"), "-cf")));

        assertLoadedEqual(Cifar10Reader.load(archive, OtherSchemeFileSystem.configuration()));
    }

    @Test
    void truncatedRecord() throws Exception {
        Path batch = batchDir.resolve("data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(bytes, bytes.length - 1));

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Reader.load(batchDir.toUri(), CONF));

        assertTrue(e.source().endsWith("/cifar-10-batches-bin/data_batch_3.bin"), e.getMessage());
        assertEquals("truncated: 61459 bytes is not a whole number of 3073-byte records (19 records and 3072 bytes)",
                e.problem());
    }

    @Test
    void truncatedRecordInsideTheArchive() throws Exception {
        Path batch = batchDir.resolve("test_batch.bin");
        Files.write(batch, Arrays.copyOf(Files.readAllBytes(batch), 3073 + 100));
        URI archive = tar(root.resolve("cifar-10-binary.tar.gz"), "-czf");

        assertProblem(URI.create(archive + "!/cifar-10-batches-bin/test_batch.bin"),
                "truncated: 3173 bytes is not a whole number of 3073-byte records (1 records and 100 bytes)",
                () -> Cifar10Reader.load(archive, CONF));
    }

    @Test
    void missingBatches() throws Exception {
        Files.delete(batchDir.resolve("data_batch_2.bin"));
        Files.delete(batchDir.resolve("data_batch_4.bin"));

        assertProblem(batchDir.toUri(), "missing data_batch_2.bin, data_batch_4.bin (CIFAR-10 needs"
                        + " data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin"
                        + " and test_batch.bin); the directory has: batches.meta.txt, data_batch_1.bin,"
                        + " data_batch_3.bin, data_batch_5.bin, test_batch.bin",
                () -> Cifar10Reader.load(batchDir.toUri(), CONF));
    }

    @Test
    void missingBatchInTheArchive() throws Exception {
        Files.delete(batchDir.resolve("data_batch_5.bin"));
        URI archive = tar(root.resolve("cifar-10-binary.tar.gz"), "-czf");

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Reader.load(archive, CONF));

        assertEquals(archive.toString(), e.source());
        assertTrue(e.problem().startsWith("missing data_batch_5.bin (CIFAR-10 needs"), e.problem());
        assertTrue(e.problem().contains("the archive has: cifar-10-batches-bin/,"), e.problem());
    }

    @Test
    void badLabel() throws Exception {
        Path batch = batchDir.resolve("data_batch_1.bin");
        byte[] bytes = Files.readAllBytes(batch);
        bytes[7 * Cifar10Reader.RECORD_BYTES] = 10;
        Files.write(batch, bytes);

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Reader.load(root.toUri(), CONF));

        assertTrue(e.source().endsWith("/cifar-10-batches-bin/data_batch_1.bin"), e.getMessage());
        assertEquals("label 10 at record 7 is out of range [0, 10)", e.problem());
    }

    @Test
    void gzippedBatchFileIsExplained() throws Exception {
        Path batch = batchDir.resolve("test_batch.bin");
        Files.write(batch, TestFiles.gzip(Files.readAllBytes(batch)));

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Reader.load(batchDir.toUri(), CONF));

        assertTrue(e.source().endsWith("/test_batch.bin"), e.getMessage());
        assertEquals("is gzip-compressed; batch files must be uncompressed (or give the whole .tar.gz archive)",
                e.problem());
    }

    @Test
    void emptyBatchFile() throws Exception {
        Files.write(batchDir.resolve("data_batch_2.bin"), new byte[0]);

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Reader.load(batchDir.toUri(), CONF));

        assertTrue(e.source().endsWith("/data_batch_2.bin"), e.getMessage());
        assertEquals("empty file", e.problem());
    }

    @Test
    void missingLocation() {
        URI absent = root.resolve("cifar-10-binary.tar.gz").toUri();

        assertProblem(absent, "no such file or directory", () -> Cifar10Reader.load(absent, CONF));
    }

    @Test
    void notATarArchive() throws Exception {
        URI file = TestFiles.write(root.resolve("cifar.tar.gz"), TestFiles.gzip(new byte[600])).toUri();

        assertProblem(file, "missing data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin,"
                        + " data_batch_5.bin, test_batch.bin (CIFAR-10 needs data_batch_1.bin, data_batch_2.bin,"
                        + " data_batch_3.bin, data_batch_4.bin, data_batch_5.bin and test_batch.bin); the archive has"
                        + " no entries", () -> Cifar10Reader.load(file, CONF));
    }

    /** Archives {@value Cifar10Reader#BATCH_DIRECTORY} with the system's tar, as the official archive was made. */
    private URI tar(Path archive, String options) throws Exception {
        Process process = new ProcessBuilder("tar", options, archive.toString(), "-C", root.toString(),
                Cifar10Reader.BATCH_DIRECTORY).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        return archive.toUri();
    }

    private void assertLoadedEqual(TrainAndTestSets loaded) {
        assertShape(loaded.train(), 5 * RECORDS);
        assertShape(loaded.test(), RECORDS);
        for (int batch = 0; batch < 6; batch++) {
            LabeledImages set = batch < 5 ? loaded.train() : loaded.test();
            int first = batch < 5 ? batch * RECORDS : 0;
            for (int r = 0; r < RECORDS; r++) {
                assertEquals(Byte.toUnsignedInt(labels.get(batch)[r]), set.label(first + r));
                for (int p = 0; p < PIXEL_BYTES; p++) {
                    assertEquals(Byte.toUnsignedInt(pixels.get(batch)[r * PIXEL_BYTES + p]), set.pixel(first + r, p));
                }
            }
        }
    }

    private static void assertShape(LabeledImages set, int count) {
        assertEquals(count, set.count());
        assertEquals(3, set.channels());
        assertEquals(32, set.height());
        assertEquals(32, set.width());
        assertEquals(10, set.numClasses());
    }
}
