package org.sparsevd.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Opening and listing files on any Hadoop {@link FileSystem}, turning every failure into a one-line
 * {@link DatasetException} that names the file.
 */
final class HadoopFiles {

    /** Buffer size for reading data files. */
    static final int BUFFER_BYTES = 1 << 16;

    /** Directories with at most this many entries are listed in full in error messages. */
    static final int MAX_LISTED_ENTRIES = 12;

    private HadoopFiles() {
    }

    /**
     * Opens a regular, non-empty file for reading, decompressing it when it starts with the gzip magic bytes
     * ({@code 1f 8b}), whatever its name.
     *
     * @throws DatasetException if the file does not exist, is a directory, is empty or cannot be opened
     */
    static InputStream open(URI uri, Configuration conf) {
        InputStream raw = openRaw(uri, conf);
        try {
            return decompressIfGzip(raw);
        } catch (IOException e) {
            closeQuietly(raw, e);
            throw unreadable(uri.toString(), e);
        }
    }

    /**
     * Opens a regular, non-empty file for reading its bytes as they are.
     *
     * @return a buffered stream
     * @throws DatasetException if the file does not exist, is a directory, is empty or cannot be opened
     */
    static InputStream openRaw(URI uri, Configuration conf) {
        FileStatus status = status(uri, conf, "no such file");
        String source = uri.toString();
        if (status.isDirectory()) {
            throw new DatasetException(source, "is a directory, expected a file");
        }
        if (status.getLen() == 0) {
            throw new DatasetException(source, "empty file");
        }
        try {
            return new BufferedInputStream(fileSystem(uri, conf).open(status.getPath(), BUFFER_BYTES), BUFFER_BYTES);
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /**
     * @param missing the problem to report if nothing is there, such as {@code "no such file"}
     * @return the status of the file or directory at {@code uri}
     * @throws DatasetException if it does not exist or cannot be reached
     */
    static FileStatus status(URI uri, Configuration conf, String missing) {
        FileSystem fs = fileSystem(uri, conf);
        try {
            return fs.getFileStatus(new Path(uri));
        } catch (FileNotFoundException e) {
            throw new DatasetException(uri.toString(), missing, e);
        } catch (IOException e) {
            throw unreadable(uri.toString(), e);
        }
    }

    /**
     * @return the entries of the directory at {@code uri}, sorted by name
     * @throws DatasetException if it does not exist, is not a directory or cannot be listed
     */
    static FileStatus[] list(URI uri, Configuration conf) {
        FileStatus status = status(uri, conf, "no such directory");
        if (!status.isDirectory()) {
            throw new DatasetException(uri.toString(), "not a directory");
        }
        try {
            FileStatus[] entries = fileSystem(uri, conf).listStatus(status.getPath());
            Arrays.sort(entries, Comparator.comparing(entry -> entry.getPath().getName()));
            return entries;
        } catch (IOException e) {
            throw unreadable(uri.toString(), e);
        }
    }

    /** @return the regular file named {@code name} among {@code entries}, or {@code null} */
    static FileStatus findFile(FileStatus[] entries, String name) {
        for (FileStatus entry : entries) {
            if (entry.isFile() && entry.getPath().getName().equals(name)) {
                return entry;
            }
        }
        return null;
    }

    /** @return a short description of a directory's entries for an error message, directories ending in '/' */
    static String describeListing(FileStatus[] entries) {
        if (entries.length == 0) {
            return "the directory is empty";
        }
        if (entries.length > MAX_LISTED_ENTRIES) {
            return "the directory has " + entries.length + " entries";
        }
        return "the directory has: " + Arrays.stream(entries)
                .map(entry -> entry.getPath().getName() + (entry.isDirectory() ? "/" : ""))
                .collect(Collectors.joining(", "));
    }

    /**
     * Wraps {@code buffered} (which must support mark and reset) in a {@link GZIPInputStream} if it starts with the
     * gzip magic bytes.
     *
     * @return a buffered stream of the (decompressed) bytes
     */
    private static InputStream decompressIfGzip(InputStream buffered) throws IOException {
        if (startsWithGzipMagic(buffered)) {
            return new BufferedInputStream(new GZIPInputStream(buffered, BUFFER_BYTES), BUFFER_BYTES);
        }
        return buffered;
    }

    /**
     * @param buffered a stream that supports mark and reset, left where it was
     * @return whether its next two bytes are the gzip magic number {@code 1f 8b}
     */
    static boolean startsWithGzipMagic(InputStream buffered) throws IOException {
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        return first == 0x1f && second == 0x8b;
    }

    /**
     * Reads until {@code buffer} is full or the stream ends.
     *
     * @return the number of bytes read, less than the buffer's length only at the end of the stream
     */
    static int readFully(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(buffer, offset + done, length - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /** @return how many bytes are left in the stream, reading it to the end */
    static long countRemaining(InputStream in) throws IOException {
        byte[] scratch = new byte[BUFFER_BYTES];
        long total = 0;
        for (int n = in.read(scratch); n >= 0; n = in.read(scratch)) {
            total += n;
        }
        return total;
    }

    /** @return the exception for a read that failed, with the cause described on one line */
    static DatasetException unreadable(String source, IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage().replaceAll("\\s*\\R\\s*", " ");
        if (e instanceof ZipException || e instanceof EOFException) {
            return new DatasetException(source, "corrupt or truncated compressed data (" + detail + ")", e);
        }
        return new DatasetException(source, "not readable: " + detail, e);
    }

    private static void closeQuietly(InputStream in, IOException failure) {
        try {
            in.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static FileSystem fileSystem(URI uri, Configuration conf) {
        try {
            return FileSystem.get(uri, conf);
        } catch (IOException e) {
            throw unreadable(uri.toString(), e);
        }
    }
}
