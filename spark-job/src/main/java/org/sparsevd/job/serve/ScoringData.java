package org.sparsevd.job.serve;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparsevd.core.engine.Shape;
import org.sparsevd.datasets.Cifar10Reader;
import org.sparsevd.datasets.DatasetException;
import org.sparsevd.datasets.IdxDataset;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.SourceNames;
import org.sparsevd.datasets.TrainAndTestSets;
import org.sparsevd.job.config.DataSplit;
import org.sparsevd.job.config.JobConfigException;

/**
 * Images to score, as unsigned byte pixels (CHW per image): from IDX or CIFAR-10 data ({@code train} reads them; the
 * format follows the model's input: 1 channel IDX, 3 channels CIFAR-10), or from a directory of PNG images of the
 * model's input size (no labels; sorted by file name).
 *
 * @param source a description without credentials
 * @param pixels {@code count · shape.size()} bytes
 * @param ids    an id per image: its index, or its PNG file name
 * @param labels the labels, or null if unknown (PNG)
 */
public record ScoringData(String source, Shape shape, byte[] pixels, String[] ids, byte[] labels) {

    public int count() {
        return ids.length;
    }

    /** Labelled data (IDX or CIFAR-10) for a model taking {@code shape}. */
    public static ScoringData labelled(URI data, Shape shape, DataSplit split, Configuration conf) {
        TrainAndTestSets tt = shape.channels() == 3 ? Cifar10Reader.load(data, conf)
                : IdxDataset.loadDirectory(data, null, conf);
        return of(split == DataSplit.TRAIN ? tt.train() : tt.test(), shape, data);
    }

    /** Labelled images read from {@code data}, for a model taking {@code shape}. */
    public static ScoringData of(LabeledImages images, Shape shape, URI data) {
        Shape got = new Shape(images.channels(), images.height(), images.width());
        if (!got.equals(shape)) {
            throw new JobConfigException("--data " + SourceNames.redact(data.toString()) + " holds images of " + got
                    + " but the model takes " + shape);
        }
        byte[] pixels = new byte[images.count() * shape.size()];
        byte[] labels = new byte[images.count()];
        String[] ids = new String[images.count()];
        for (int i = 0; i < images.count(); i++) {
            for (int p = 0; p < shape.size(); p++) {
                pixels[i * shape.size() + p] = (byte) images.pixel(i, p);
            }
            labels[i] = (byte) images.label(i);
            ids[i] = Integer.toString(i);
        }
        return new ScoringData(images.source(), shape, pixels, ids, labels);
    }

    /** Whether {@code data} is a directory holding PNG files. */
    public static boolean isPngDirectory(URI data, Configuration conf) {
        try {
            FileSystem fs = FileSystem.get(data, conf);
            Path dir = new Path(data);
            return fs.exists(dir) && fs.getFileStatus(dir).isDirectory() && Arrays.stream(fs.listStatus(dir))
                    .anyMatch(f -> f.isFile() && f.getPath().getName().toLowerCase().endsWith(".png"));
        } catch (IOException e) {
            throw new DatasetException(SourceNames.redact(data.toString()), "cannot be listed: " + e.getMessage());
        }
    }

    /** The PNG images of directory {@code data}, each of the model's input size (gray for 1 channel, RGB for 3). */
    public static ScoringData png(URI data, Shape shape, Configuration conf) {
        String where = SourceNames.redact(data.toString());
        try {
            FileSystem fs = FileSystem.get(data, conf);
            List<FileStatus> files = new ArrayList<>(Arrays.stream(fs.listStatus(new Path(data)))
                    .filter(f -> f.isFile() && f.getPath().getName().toLowerCase().endsWith(".png")).toList());
            files.sort(Comparator.comparing(f -> f.getPath().getName()));
            byte[] pixels = new byte[Math.multiplyExact(files.size(), shape.size())];
            String[] ids = new String[files.size()];
            int plane = shape.height() * shape.width();
            for (int i = 0; i < files.size(); i++) {
                String name = files.get(i).getPath().getName();
                BufferedImage image;
                try (InputStream in = fs.open(files.get(i).getPath())) {
                    image = ImageIO.read(in);
                } catch (IOException | RuntimeException e) {
                    throw new DatasetException(where + "/" + name, "is not a readable PNG image: " + e.getMessage());
                }
                if (image == null) {
                    throw new DatasetException(where + "/" + name, "is not a readable PNG image");
                }
                if (image.getWidth() != shape.width() || image.getHeight() != shape.height()) {
                    throw new DatasetException(where + "/" + name, "is " + image.getWidth() + "x" + image.getHeight()
                            + " pixels but the model takes " + shape.width() + "x" + shape.height());
                }
                boolean gray = image.getColorModel().getNumColorComponents() == 1;
                if (gray != (shape.channels() == 1)) {
                    throw new DatasetException(where + "/" + name, "is a " + (gray ? "grayscale" : "color")
                            + " image but the model takes " + shape.channels() + " channel(s)");
                }
                int base = i * shape.size();
                for (int y = 0; y < shape.height(); y++) {
                    for (int x = 0; x < shape.width(); x++) {
                        if (gray) {
                            pixels[base + y * shape.width() + x] = (byte) image.getRaster().getSample(x, y, 0);
                        } else {
                            int rgb = image.getRGB(x, y);
                            pixels[base + y * shape.width() + x] = (byte) (rgb >> 16);
                            pixels[base + plane + y * shape.width() + x] = (byte) (rgb >> 8);
                            pixels[base + 2 * plane + y * shape.width() + x] = (byte) rgb;
                        }
                    }
                }
                ids[i] = name;
            }
            if (files.isEmpty()) {
                throw new DatasetException(where, "holds no PNG images");
            }
            return new ScoringData(where, shape, pixels, ids, null);
        } catch (IOException e) {
            throw new DatasetException(where, "cannot be read: " + e.getMessage());
        }
    }
}
