package org.sparsevd.job;

import java.io.File;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.sparsevd.datasets.IdxDataset;
import org.sparsevd.datasets.TrainAndTestSets;

/** The real Fashion-MNIST of the Debian package {@code dataset-fashion-mnist} (installed by .ci/run). */
public final class FashionMnist {
    public static final File DIR = new File("/usr/share/datasets/fashion-mnist");

    private FashionMnist() {
    }

    public static URI uri() {
        if (!new File(DIR, IdxDataset.TRAIN_IMAGES + ".gz").isFile()) {
            throw new IllegalStateException("Fashion-MNIST is missing: apt-get install dataset-fashion-mnist");
        }
        return DIR.toURI();
    }

    public static TrainAndTestSets load() {
        return IdxDataset.loadDirectory(uri(), null, new Configuration());
    }
}
