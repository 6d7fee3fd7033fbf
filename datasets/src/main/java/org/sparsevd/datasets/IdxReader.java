package org.sparsevd.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.StringJoiner;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST) of unsigned bytes, raw or gzip-compressed, from any Hadoop
 * file system, and validates them fully: magic number, element type, number of dimensions, dimensions, exact data
 * length and, for labels, the range of every label. Gzip is recognised by its magic bytes, not by the file name.
 */
public final class IdxReader {

    /** Magic number of an unsigned-byte IDX file with one dimension: labels. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Magic number of an unsigned-byte IDX file with three dimensions: greyscale images. */
    public static final int IMAGES_MAGIC = 0x00000803;

    private static final Logger LOG = LoggerFactory.getLogger(IdxReader.class);

    private static final int UNSIGNED_BYTE = 0x08;
    /** Largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /**
     * Reads an images file: magic {@code 0x00000803}, dimensions {@code count x rows x columns}.
     *
     * @param uri  the file, on any Hadoop file system
     * @param conf Hadoop configuration for the file system
     * @return the images, {@code count * rows * columns} bytes
     * @throws DatasetException naming the file if it is missing, unreadable or not a valid images file
     */
    public static IdxArray readImages(URI uri, Configuration conf) {
        return read(uri, conf, IMAGES_MAGIC);
    }

    /**
     * Reads a labels file: magic {@code 0x00000801}, one dimension {@code count}, each label below
     * {@code numClasses}.
     *
     * @param uri        the file, on any Hadoop file system
     * @param conf       Hadoop configuration for the file system
     * @param numClasses number of classes, in {@code [2, 256]}
     * @return the labels, one byte each
     * @throws DatasetException naming the file if it is missing, unreadable, not a valid labels file or has a label
     *                          out of range
     */
    public static IdxArray readLabels(URI uri, Configuration conf, int numClasses) {
        if (numClasses < 2 || numClasses > LabeledImages.MAX_CLASSES) {
            throw new IllegalArgumentException(
                    "numClasses must be in [2, " + LabeledImages.MAX_CLASSES + "], got " + numClasses);
        }
        IdxArray labels = read(uri, conf, LABELS_MAGIC);
        checkLabelRange(labels.source(), labels.data(), numClasses);
        return labels;
    }

    private static IdxArray read(URI uri, Configuration conf, int expectedMagic) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(conf, "conf");
        String source = uri.toString();
        try (InputStream in = HadoopFiles.open(uri, conf)) {
            int expectedRank = expectedMagic & 0xff;
            byte[] header = new byte[4 + 4 * expectedRank];
            int headerRead = HadoopFiles.readFully(in, header, 0, 4);
            if (headerRead == 0) {
                throw new DatasetException(source, "empty file");
            }
            if (headerRead < 4) {
                throw new DatasetException(source, "truncated header: the file has only " + headerRead
                        + " bytes but an IDX magic number needs 4");
            }
            ByteBuffer view = ByteBuffer.wrap(header);
            checkMagic(source, view.getInt(0), expectedMagic);
            headerRead += HadoopFiles.readFully(in, header, 4, header.length - 4);
            if (headerRead < header.length) {
                throw new DatasetException(source, "truncated header: the file has only " + headerRead
                        + " bytes but a header with " + expectedRank + " dimensions needs " + header.length);
            }
            int[] dimensions = new int[expectedRank];
            long length = 1;
            for (int d = 0; d < expectedRank; d++) {
                dimensions[d] = view.getInt(4 + 4 * d);
                if (dimensions[d] <= 0) {
                    throw new DatasetException(source, "dimension " + (d + 1) + " of " + expectedRank + " is "
                            + Integer.toUnsignedString(dimensions[d]) + " (header: "
                            + describeDimensions(view, expectedRank) + "); every dimension must be positive");
                }
                length *= dimensions[d];
            }
            String expected = describeContent(expectedMagic, dimensions, length);
            if (length > MAX_ARRAY_BYTES) {
                throw new DatasetException(source, "too large: header says " + expected + ", more than "
                        + MAX_ARRAY_BYTES + " bytes that one array can hold");
            }
            byte[] data = new byte[(int) length];
            int dataRead = HadoopFiles.readFully(in, data, 0, data.length);
            if (dataRead < length) {
                throw new DatasetException(source, "truncated: header says " + expected + " but the file has "
                        + dataRead + " bytes of data");
            }
            long extra = HadoopFiles.countRemaining(in);
            if (extra > 0) {
                throw new DatasetException(source, "trailing garbage: header says " + expected
                        + " but the file has " + (length + extra) + " bytes of data (" + extra + " too many)");
            }
            LOG.debug("Read {} from {}", expected, source);
            return new IdxArray(source, dimensions, data);
        } catch (IOException e) {
            throw HadoopFiles.unreadable(source, e);
        }
    }

    private static void checkMagic(String source, int magic, int expectedMagic) {
        if (magic == expectedMagic) {
            return;
        }
        String problem = String.format("bad magic number 0x%08x (expected 0x%08x for %s)", magic, expectedMagic,
                kindOf(expectedMagic));
        int typeCode = (magic >>> 8) & 0xff;
        boolean idxLike = (magic >>> 16) == 0;
        if (idxLike && typeCode != UNSIGNED_BYTE && elementTypeName(typeCode) != null) {
            throw new DatasetException(source, String.format(
                    "unsupported IDX element type 0x%02x (%s) in magic number 0x%08x; only unsigned byte (0x08)"
                            + " is supported", typeCode, elementTypeName(typeCode), magic));
        }
        if (magic == LABELS_MAGIC || magic == IMAGES_MAGIC) {
            throw new DatasetException(source, problem + ": this is an IDX " + kindOf(magic) + " file");
        }
        if (idxLike && typeCode == UNSIGNED_BYTE) {
            throw new DatasetException(source, problem + ": an IDX file with " + (magic & 0xff)
                    + " dimensions instead of " + (expectedMagic & 0xff));
        }
        throw new DatasetException(source, problem);
    }

    private static void checkLabelRange(String source, byte[] labels, int numClasses) {
        int firstBad = -1;
        int badCount = 0;
        for (int i = 0; i < labels.length; i++) {
            if (Byte.toUnsignedInt(labels[i]) >= numClasses) {
                if (firstBad < 0) {
                    firstBad = i;
                }
                badCount++;
            }
        }
        if (firstBad >= 0) {
            throw new DatasetException(source, "label " + Byte.toUnsignedInt(labels[firstBad]) + " at index "
                    + firstBad + " is out of range [0, " + numClasses + ")"
                    + (badCount > 1 ? " (" + badCount + " labels out of range in all)" : ""));
        }
    }

    private static String kindOf(int magic) {
        return magic == IMAGES_MAGIC ? "unsigned-byte images" : "unsigned-byte labels";
    }

    /** @return the name of an IDX element type code, or {@code null} if it is not one */
    private static String elementTypeName(int typeCode) {
        switch (typeCode) {
            case 0x08: return "unsigned byte";
            case 0x09: return "signed byte";
            case 0x0b: return "short";
            case 0x0c: return "int";
            case 0x0d: return "float";
            case 0x0e: return "double";
            default: return null;
        }
    }

    private static String describeDimensions(ByteBuffer header, int rank) {
        StringJoiner dimensions = new StringJoiner(" x ");
        for (int d = 0; d < rank; d++) {
            dimensions.add(Integer.toUnsignedString(header.getInt(4 + 4 * d)));
        }
        return dimensions.toString();
    }

    private static String describeContent(int magic, int[] dimensions, long length) {
        if (magic == IMAGES_MAGIC) {
            return dimensions[0] + " images of " + dimensions[1] + "x" + dimensions[2] + " (" + length + " bytes)";
        }
        return dimensions[0] + " labels (" + length + " bytes)";
    }
}
