package org.sparsevd.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsevd.datasets.IdxReaderTest.assertProblem;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {

    private static final Configuration CONF = new Configuration();

    @TempDir
    Path root;

    private final Random random = new Random(7);

    /** Writes 12 training and 5 test images of 3x2, the training files gzipped, the test files raw. */
    private Path writeStandardFiles(Path dir, Path testDir) throws Exception {
        TestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"),
                TestFiles.gzip(TestFiles.idxImages(TestFiles.randomBytes(12 * 6, random), 3, 2)));
        TestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"),
                TestFiles.gzip(TestFiles.idxLabels(TestFiles.randomLabels(12, 10, random))));
        TestFiles.write(testDir.resolve("t10k-images-idx3-ubyte"),
                TestFiles.idxImages(TestFiles.randomBytes(5 * 6, random), 3, 2));
        TestFiles.write(testDir.resolve("t10k-labels-idx1-ubyte"),
                TestFiles.idxLabels(TestFiles.randomLabels(5, 10, random)));
        return dir;
    }

    @Test
    void loadsTheFourStandardFilesRawOrGzipped() throws Exception {
        Path dir = writeStandardFiles(root, root);

        TrainAndTestSets loaded = IdxDataset.loadDirectory(dir.toUri(), null, CONF);

        assertEquals(12, loaded.train().count());
        assertEquals(5, loaded.test().count());
        assertEquals(3, loaded.test().height());
        assertEquals(2, loaded.test().width());
        assertTrue(loaded.train().source().endsWith("/train-images-idx3-ubyte.gz"), loaded.train().source());
        assertTrue(loaded.test().source().endsWith("/t10k-images-idx3-ubyte"), loaded.test().source());
    }

    @Test
    void takesTestFilesFromTheTestDirectory() throws Exception {
        Path testDir = root.resolve("test");
        writeStandardFiles(root.resolve("train"), testDir);

        TrainAndTestSets loaded = IdxDataset.loadDirectory(root.resolve("train").toUri(), testDir.toUri(), CONF);

        assertEquals(5, loaded.test().count());
        assertTrue(loaded.test().source().contains("/test/t10k-images-idx3-ubyte"), loaded.test().source());
    }

    @Test
    void missingFileInDirectoryIsNamedWithTheDirectoryContents() throws Exception {
        Path dir = writeStandardFiles(root, root);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        Files.createDirectory(dir.resolve("extra"));

        assertProblem(dir.toUri(), "missing t10k-labels-idx1-ubyte[.gz]; the directory has: extra/,"
                        + " t10k-images-idx3-ubyte, train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz",
                () -> IdxDataset.loadDirectory(dir.toUri(), null, CONF));
    }

    @Test
    void missingTestFilesAreLookedForInTheTestDirectory() throws Exception {
        Path testDir = Files.createDirectory(root.resolve("empty-test"));
        writeStandardFiles(root, root);

        assertProblem(testDir.toUri(), "missing t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz];"
                + " the directory is empty", () -> IdxDataset.loadDirectory(root.toUri(), testDir.toUri(), CONF));
    }

    @Test
    void missingDirectory() {
        URI dir = root.resolve("nowhere").toUri();

        assertProblem(dir, "no such directory", () -> IdxDataset.loadDirectory(dir, null, CONF));
    }

    @Test
    void fileInsteadOfDirectory() throws Exception {
        URI file = TestFiles.write(root.resolve("file"), new byte[] {1}).toUri();

        assertProblem(file, "not a directory", () -> IdxDataset.loadDirectory(file, null, CONF));
    }

    @Test
    void testImagesOfAnotherSizeAreRejected() throws Exception {
        Path dir = writeStandardFiles(root, root);
        TestFiles.write(dir.resolve("t10k-images-idx3-ubyte"),
                TestFiles.idxImages(TestFiles.randomBytes(5 * 4, random), 2, 2));

        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxDataset.loadDirectory(dir.toUri(), null, CONF));

        assertTrue(e.source().endsWith("/t10k-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.problem().matches("images are 2x2 but the training images \\S+ are 3x2"), e.getMessage());
    }

    @Test
    void readsFileUrisWithSpacesInThePath() throws Exception {
        Path dir = writeStandardFiles(root.resolve("a dir with spaces"), root.resolve("a dir with spaces"));
        URI uri = URI.create("file://" + dir.toUri().getRawPath());

        TrainAndTestSets loaded = IdxDataset.loadDirectory(uri, null, CONF);

        assertEquals(12, loaded.train().count());
        assertTrue(uri.toString().contains("a%20dir%20with%20spaces"), uri.toString());
    }

    @Test
    void readsThroughAnotherHadoopFileSystem() throws Exception {
        Path dir = writeStandardFiles(root.resolve("other fs"), root.resolve("other fs"));
        Configuration conf = OtherSchemeFileSystem.configuration();

        TrainAndTestSets loaded = IdxDataset.loadDirectory(OtherSchemeFileSystem.uri(dir), null, conf);

        assertEquals(12, loaded.train().count());
        assertEquals(5, loaded.test().count());
        assertTrue(loaded.train().source().startsWith(OtherSchemeFileSystem.SCHEME + ":"), loaded.train().source());
    }

    @Test
    void errorsThroughAnotherHadoopFileSystemNameTheUri() throws Exception {
        Path images = TestFiles.write(root.resolve("images"),
                TestFiles.idxImages(TestFiles.randomBytes(4 * 6, random), 3, 2));
        Path labels = TestFiles.write(root.resolve("labels"), TestFiles.idxLabels(new byte[] {1, 7, 2, 9}));
        URI labelsUri = OtherSchemeFileSystem.uri(labels);

        assertProblem(labelsUri, "label 7 at index 1 is out of range [0, 5) (2 labels out of range in all)",
                () -> IdxDataset.load(OtherSchemeFileSystem.uri(images), labelsUri,
                        OtherSchemeFileSystem.configuration(), 5));
    }
}
