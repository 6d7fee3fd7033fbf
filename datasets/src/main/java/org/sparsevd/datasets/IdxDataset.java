package org.sparsevd.datasets;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads MNIST-style data sets (MNIST, Fashion-MNIST) from pairs of IDX files: greyscale images and their labels.
 */
public final class IdxDataset {

    /** Classes in MNIST and Fashion-MNIST. */
    public static final int STANDARD_NUM_CLASSES = 10;
    /** Standard name of the training images file, possibly followed by {@code .gz}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Standard name of the training labels file, possibly followed by {@code .gz}. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Standard name of the test images file, possibly followed by {@code .gz}. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Standard name of the test labels file, possibly followed by {@code .gz}. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final Logger LOG = LoggerFactory.getLogger(IdxDataset.class);
    private static final String GZ = ".gz";

    private IdxDataset() {
    }

    /**
     * Loads an images file and its labels file.
     *
     * @param images     IDX images file ({@code 0x00000803}), raw or gzip, on any Hadoop file system
     * @param labels     IDX labels file ({@code 0x00000801}) with one label per image
     * @param conf       Hadoop configuration for the file systems
     * @param numClasses number of classes; every label must be below it
     * @return single-channel images named after the images file
     * @throws DatasetException naming the file at fault if either is invalid or their counts differ
     */
    public static LabeledImages load(URI images, URI labels, Configuration conf, int numClasses) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        IdxArray labelArray = IdxReader.readLabels(labels, conf, numClasses);
        IdxArray imageArray = IdxReader.readImages(images, conf);
        if (labelArray.count() != imageArray.count()) {
            throw new DatasetException(labelArray.source(), "has " + labelArray.count() + " labels but "
                    + imageArray.source() + " has " + imageArray.count() + " images");
        }
        int[] dimensions = imageArray.dimensions();
        LabeledImages loaded = new LabeledImages(imageArray.source(), imageArray.data(), labelArray.data(), 1,
                dimensions[1], dimensions[2], numClasses);
        LOG.info("Loaded {}", loaded);
        return loaded;
    }

    /**
     * Loads the four standard files ({@value #TRAIN_IMAGES}, {@value #TRAIN_LABELS}, {@value #TEST_IMAGES},
     * {@value #TEST_LABELS}, each raw or with {@code .gz}) of a 10-class data set. Where both a raw and a
     * {@code .gz} file exist, the raw one is read.
     *
     * @param dir           directory holding the training files, and the test files unless {@code testDir} is given
     * @param testDirOrNull directory holding the test files, or {@code null} to take them from {@code dir}
     * @param conf          Hadoop configuration for the file systems
     * @return training and test sets
     * @throws DatasetException naming the directory and the missing files, or the file at fault
     */
    public static TrainAndTestSets loadDirectory(URI dir, URI testDirOrNull, Configuration conf) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(conf, "conf");
        URI testDir = testDirOrNull == null ? dir : testDirOrNull;
        URI[] trainFiles = findFiles(dir, conf, TRAIN_IMAGES, TRAIN_LABELS);
        URI[] testFiles = findFiles(testDir, conf, TEST_IMAGES, TEST_LABELS);
        LabeledImages train = load(trainFiles[0], trainFiles[1], conf, STANDARD_NUM_CLASSES);
        LabeledImages test = load(testFiles[0], testFiles[1], conf, STANDARD_NUM_CLASSES);
        if (test.height() != train.height() || test.width() != train.width()) {
            throw new DatasetException(test.source(), "images are " + test.height() + "x" + test.width()
                    + " but the training images " + train.source() + " are " + train.height() + "x"
                    + train.width());
        }
        return new TrainAndTestSets(train, test);
    }

    /** @return the URIs of the named files in {@code dir}, each raw or gzipped, in the order of the names */
    private static URI[] findFiles(URI dir, Configuration conf, String... names) {
        FileStatus[] entries = HadoopFiles.list(dir, conf);
        URI[] found = new URI[names.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            FileStatus file = HadoopFiles.findFile(entries, names[i]);
            if (file == null) {
                file = HadoopFiles.findFile(entries, names[i] + GZ);
            }
            if (file == null) {
                missing.add(names[i] + "[" + GZ + "]");
            } else {
                found[i] = file.getPath().toUri();
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetException(dir.toString(), "missing " + String.join(" and ", missing) + "; "
                    + HadoopFiles.describeListing(entries));
        }
        return found;
    }
}
