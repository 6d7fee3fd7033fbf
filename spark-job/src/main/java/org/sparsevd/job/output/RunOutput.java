package org.sparsevd.job.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.datasets.SourceNames;

/**
 * A run's output directory on any Hadoop FileSystem. Every file is written to a temporary name of its own and renamed
 * into place, so readers never see a half-written file (and a writer killed mid-file leaves only a hidden
 * {@code .*.tmp} file, which {@link #open} removes); {@link #discard()} removes the directory again if this run
 * created it, so a failed run that has nothing worth keeping leaves nothing behind.
 */
public final class RunOutput {
    private static final Logger log = LoggerFactory.getLogger(RunOutput.class);

    private final URI uri;
    private final Path dir;
    private final FileSystem fs;
    private final FileContext fc;
    private final boolean created;

    private RunOutput(URI uri, Path dir, FileSystem fs, FileContext fc, boolean created) {
        this.uri = uri;
        this.dir = dir;
        this.fs = fs;
        this.fc = fc;
        this.created = created;
    }

    /**
     * Checks that {@code uri} can take a new run without creating anything: it must not be a file, nor a
     * non-empty directory.
     */
    public static void checkUsable(URI uri, Configuration conf) {
        try {
            FileSystem fs = FileSystem.get(uri, conf);
            Path dir = new Path(uri);
            if (fs.exists(dir)) {
                FileStatus st = fs.getFileStatus(dir);
                if (!st.isDirectory()) {
                    throw new OutputException("--output " + uri + " exists and is a file, not a directory");
                }
                if (fs.listStatus(dir).length > 0) {
                    throw new OutputException("--output " + uri + " already exists and is not empty; "
                            + "choose a new directory or remove it");
                }
            }
        } catch (IOException e) {
            throw new OutputException("--output " + uri + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Creates (or takes, if it exists and is empty) the output directory. */
    public static RunOutput create(URI uri, Configuration conf) {
        checkUsable(uri, conf);
        try {
            FileSystem fs = FileSystem.get(uri, conf);
            Path dir = fs.makeQualified(new Path(uri));
            boolean existed = fs.exists(dir);
            if (!existed && !fs.mkdirs(dir)) {
                throw new OutputException("--output " + uri + ": could not create the directory");
            }
            return new RunOutput(uri, dir, fs, FileContext.getFileContext(dir.toUri(), conf), !existed);
        } catch (IOException e) {
            throw new OutputException("--output " + uri + ": could not create the directory: " + e.getMessage(), e);
        }
    }

    /** Takes an existing output directory to continue a run in it; stale temporary files are removed. */
    public static RunOutput open(URI uri, Configuration conf) {
        try {
            FileSystem fs = FileSystem.get(uri, conf);
            Path dir = fs.makeQualified(new Path(uri));
            if (!fs.exists(dir)) {
                throw new OutputException("--resume: --output " + uri + " does not exist: there is no run to resume");
            }
            if (!fs.getFileStatus(dir).isDirectory()) {
                throw new OutputException("--resume: --output " + uri + " is a file, not a run's output directory");
            }
            RunOutput output = new RunOutput(uri, dir, fs, FileContext.getFileContext(dir.toUri(), conf), false);
            for (FileStatus st : fs.listStatus(dir, p -> p.getName().startsWith(".") && p.getName().endsWith(".tmp"))) {
                log.info("Removing {}, left by an interrupted write", SourceNames.redact(st.getPath().toString()));
                output.deleteQuietly(st.getPath());
            }
            return output;
        } catch (IOException e) {
            throw new OutputException("--output " + uri + " cannot be used: " + e.getMessage(), e);
        }
    }

    public URI uri() {
        return uri;
    }

    /** The qualified path of {@code name} inside the output directory. */
    public Path path(String name) {
        return new Path(dir, name);
    }

    /** Writes a small text file atomically (temporary file, then rename over the old one). */
    public void writeText(String name, String text) {
        write(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes {@code name} atomically with whatever {@code content} streams. */
    public void write(String name, Content content) {
        Path target = path(name);
        // A name of its own per write: on HDFS a file a killed writer left open stays leased for a minute.
        Path tmp = path("." + name + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = fs.create(tmp, true)) {
                content.writeTo(out);
            }
            fc.rename(tmp, target, Options.Rename.OVERWRITE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new OutputException(uri + ": could not write " + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code name} exists in the output directory. */
    public boolean exists(String name) {
        try {
            return fs.exists(path(name));
        } catch (IOException e) {
            throw new OutputException(uri + ": cannot check for " + name + ": " + e.getMessage(), e);
        }
    }

    /** The whole content of {@code name}; it must exist. */
    public byte[] read(String name) {
        try (InputStream in = fs.open(path(name))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new OutputException(uri + ": cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** The text of {@code name}, or null if there is no such file. */
    public String readText(String name) {
        return exists(name) ? new String(read(name), StandardCharsets.UTF_8) : null;
    }

    /** Deletes {@code name} (a file, or a directory with its content) if it exists; returns whether it existed. */
    public boolean delete(String name) {
        try {
            return fs.delete(path(name), true);
        } catch (IOException e) {
            throw new OutputException(Provenance.redact(uri) + ": could not delete " + name + ": " + e.getMessage(),
                    e);
        }
    }

    /** Removes the output directory if this run created it (otherwise only its content). */
    public void discard() {
        try {
            if (created) {
                fs.delete(dir, true);
            } else {
                for (FileStatus st : fs.listStatus(dir)) {
                    fs.delete(st.getPath(), true);
                }
            }
            log.info("Removed the incomplete output {}", Provenance.redact(uri));
        } catch (IOException e) {
            log.warn("Could not remove the incomplete output {}: {}", Provenance.redact(uri),
                    SourceNames.redact(e.getMessage()));
        }
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, false);
        } catch (IOException e) {
            log.debug("Could not delete {}", p, e);
        }
    }

    /** Something that streams a file's bytes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }
}
