package org.sparsevd.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads CIFAR-10 in its binary format from any Hadoop file system: a directory holding the batch files (directly
 * or in {@value #BATCH_DIRECTORY}/), or the official {@code cifar-10-binary.tar.gz} archive (or an uncompressed tar),
 * streamed without unpacking.
 *
 * <p>Each batch file is a sequence of {@value #RECORD_BYTES}-byte records: one label byte in {@code [0, 10)}, then
 * the 32x32 red plane, green plane and blue plane, row after row. That is already the CHW layout of
 * {@link LabeledImages}.
 */
public final class Cifar10Reader {

    /** Classes in CIFAR-10. */
    public static final int NUM_CLASSES = 10;
    /** Colour channels: red, green, blue. */
    public static final int CHANNELS = 3;
    /** Image height and width in pixels. */
    public static final int SIDE = 32;
    /** Bytes per record: one label and the three colour planes. */
    public static final int RECORD_BYTES = 1 + CHANNELS * SIDE * SIDE;
    /** The five training batch files. */
    public static final List<String> TRAIN_BATCHES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    /** The test batch file. */
    public static final String TEST_BATCH = "test_batch.bin";
    /** The directory the official archive unpacks to. */
    public static final String BATCH_DIRECTORY = "cifar-10-batches-bin";

    private static final Logger LOG = LoggerFactory.getLogger(Cifar10Reader.class);
    private static final int PIXEL_BYTES = RECORD_BYTES - 1;
    private static final String TRAIN_PATTERN = "data_batch_{1..5}.bin";

    private Cifar10Reader() {
    }

    /**
     * Loads the five training batches and the test batch.
     *
     * @param location a directory holding the batch files or a {@value #BATCH_DIRECTORY}/ directory that does, or
     *                 a tar archive (gzip-compressed or not) with the batch files in any directory
     * @param conf     Hadoop configuration for the file system
     * @return training set (the five batches in order) and test set, 3x32x32 in 10 classes
     * @throws DatasetException naming the directory, archive or batch file at fault
     */
    public static TrainAndTestSets load(URI location, Configuration conf) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(conf, "conf");
        FileStatus status = HadoopFiles.status(location, conf, "no such file or directory");
        TrainAndTestSets loaded = status.isDirectory() ? loadDirectory(location, conf) : loadArchive(location, conf);
        LOG.info("Loaded CIFAR-10 from {}: {}", location, loaded);
        return loaded;
    }

    private static TrainAndTestSets loadDirectory(URI dir, Configuration conf) {
        FileStatus[] entries = HadoopFiles.list(dir, conf);
        URI batchDir = dir;
        FileStatus nested = findDirectory(entries, BATCH_DIRECTORY);
        if (nested != null && !hasAnyBatch(entries)) {
            batchDir = nested.getPath().toUri();
            entries = HadoopFiles.list(batchDir, conf);
        }
        List<String> missing = new ArrayList<>();
        Map<String, URI> files = new HashMap<>();
        for (String name : allBatchNames()) {
            FileStatus file = HadoopFiles.findFile(entries, name);
            if (file == null) {
                missing.add(name);
            } else {
                files.put(name, file.getPath().toUri());
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetException(batchDir.toString(), missingMessage(missing) + "; "
                    + HadoopFiles.describeListing(entries));
        }
        List<Batch> train = new ArrayList<>();
        for (String name : TRAIN_BATCHES) {
            train.add(readBatchFile(files.get(name), conf));
        }
        Batch test = readBatchFile(files.get(TEST_BATCH), conf);
        String prefix = batchDir.toString().endsWith("/") ? batchDir.toString() : batchDir + "/";
        return trainTest(prefix + TRAIN_PATTERN, train, prefix + TEST_BATCH, test);
    }

    private static TrainAndTestSets loadArchive(URI archive, Configuration conf) {
        Map<String, Batch> batches = new HashMap<>();
        Map<String, String> entryNames = new HashMap<>();
        StringJoiner seen = new StringJoiner(", ");
        int entryCount = 0;
        List<String> wanted = allBatchNames();
        try (InputStream in = HadoopFiles.open(archive, conf);
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextTarEntry(); entry != null && batches.size() < wanted.size();
                 entry = tar.getNextTarEntry()) {
                entryCount++;
                seen.add(entry.getName());
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                if (entry.isFile() && wanted.contains(name) && !batches.containsKey(name)) {
                    String source = archive + "!/" + entry.getName();
                    batches.put(name, readBatch(tar, source, entry.getSize()));
                    entryNames.put(name, entry.getName());
                }
            }
        } catch (IOException e) {
            throw HadoopFiles.unreadable(archive.toString(), e);
        }
        List<String> missing = new ArrayList<>(wanted);
        missing.removeAll(batches.keySet());
        if (!missing.isEmpty()) {
            String contents = entryCount == 0 ? "the archive has no entries"
                    : entryCount > HadoopFiles.MAX_LISTED_ENTRIES ? "the archive has " + entryCount + " entries"
                    : "the archive has: " + seen;
            throw new DatasetException(archive.toString(), missingMessage(missing) + "; " + contents);
        }
        List<Batch> train = new ArrayList<>();
        for (String name : TRAIN_BATCHES) {
            train.add(batches.get(name));
        }
        String firstTrain = entryNames.get(TRAIN_BATCHES.get(0));
        String trainSource = archive + "!/" + firstTrain.substring(0, firstTrain.lastIndexOf('/') + 1) + TRAIN_PATTERN;
        return trainTest(trainSource, train, archive + "!/" + entryNames.get(TEST_BATCH), batches.get(TEST_BATCH));
    }

    private static TrainAndTestSets trainTest(String trainSource, List<Batch> trainBatches, String testSource, Batch test) {
        int records = trainBatches.stream().mapToInt(batch -> batch.labels.length).sum();
        byte[] labels = new byte[records];
        byte[] pixels = new byte[Math.multiplyExact(records, PIXEL_BYTES)];
        int offset = 0;
        for (Batch batch : trainBatches) {
            System.arraycopy(batch.labels, 0, labels, offset, batch.labels.length);
            System.arraycopy(batch.pixels, 0, pixels, offset * PIXEL_BYTES, batch.pixels.length);
            offset += batch.labels.length;
        }
        return new TrainAndTestSets(
                new LabeledImages(trainSource, pixels, labels, CHANNELS, SIDE, SIDE, NUM_CLASSES),
                new LabeledImages(testSource, test.pixels, test.labels, CHANNELS, SIDE, SIDE, NUM_CLASSES));
    }

    private static Batch readBatchFile(URI file, Configuration conf) {
        long length = HadoopFiles.status(file, conf, "no such file").getLen();
        try (InputStream in = HadoopFiles.openRaw(file, conf)) {
            if (HadoopFiles.startsWithGzipMagic(in)) {
                throw new DatasetException(file.toString(),
                        "is gzip-compressed; batch files must be uncompressed (or give the whole .tar.gz archive)");
            }
            return readBatch(in, file.toString(), length);
        } catch (IOException e) {
            throw HadoopFiles.unreadable(file.toString(), e);
        }
    }

    /**
     * Reads {@code length} bytes of records from {@code in}, checking the length and every label.
     *
     * @param source the file or archive entry, for messages
     */
    private static Batch readBatch(InputStream in, String source, long length) throws IOException {
        if (length == 0) {
            throw new DatasetException(source, "empty file");
        }
        if (length % RECORD_BYTES != 0) {
            throw new DatasetException(source, "truncated: " + length + " bytes is not a whole number of "
                    + RECORD_BYTES + "-byte records (" + length / RECORD_BYTES + " records and "
                    + length % RECORD_BYTES + " bytes)");
        }
        if (length / RECORD_BYTES > Integer.MAX_VALUE / PIXEL_BYTES) {
            throw new DatasetException(source, "too large: " + length / RECORD_BYTES + " records");
        }
        int records = (int) (length / RECORD_BYTES);
        byte[] labels = new byte[records];
        byte[] pixels = new byte[records * PIXEL_BYTES];
        for (int r = 0; r < records; r++) {
            int label = in.read();
            int pixelsRead = label < 0 ? 0 : HadoopFiles.readFully(in, pixels, r * PIXEL_BYTES, PIXEL_BYTES);
            if (pixelsRead < PIXEL_BYTES) {
                long got = (long) r * RECORD_BYTES + (label < 0 ? 0 : 1 + pixelsRead);
                throw new DatasetException(source, "truncated: expected " + length + " bytes (" + records
                        + " records) but the data ends after " + got + " bytes");
            }
            if (label >= NUM_CLASSES) {
                throw new DatasetException(source,
                        "label " + label + " at record " + r + " is out of range [0, " + NUM_CLASSES + ")");
            }
            labels[r] = (byte) label;
        }
        return new Batch(labels, pixels);
    }

    private static List<String> allBatchNames() {
        List<String> names = new ArrayList<>(TRAIN_BATCHES);
        names.add(TEST_BATCH);
        return names;
    }

    private static String missingMessage(List<String> missing) {
        return "missing " + String.join(", ", missing) + " (CIFAR-10 needs " + String.join(", ", TRAIN_BATCHES)
                + " and " + TEST_BATCH + ")";
    }

    private static boolean hasAnyBatch(FileStatus[] entries) {
        return allBatchNames().stream().anyMatch(name -> HadoopFiles.findFile(entries, name) != null);
    }

    private static FileStatus findDirectory(FileStatus[] entries, String name) {
        for (FileStatus entry : entries) {
            if (entry.isDirectory() && entry.getPath().getName().equals(name)) {
                return entry;
            }
        }
        return null;
    }

    /** The records of one batch file: labels and CHW pixels. */
    private static final class Batch {
        private final byte[] labels;
        private final byte[] pixels;

        private Batch(byte[] labels, byte[] pixels) {
            this.labels = labels;
            this.pixels = pixels;
        }
    }
}
