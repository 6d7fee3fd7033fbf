package org.sparsevd.job.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.TrainConfig;

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
    private final String label;

    private RunOutput(URI uri, Path dir, FileSystem fs, FileContext fc, boolean created, String label) {
        this.uri = uri;
        this.dir = dir;
        this.fs = fs;
        this.fc = fc;
        this.created = created;
        this.label = label;
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
            return new RunOutput(uri, dir, fs, FileContext.getFileContext(dir.toUri(), conf), !existed, uri.toString());
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
            RunOutput output = new RunOutput(uri, dir, fs, FileContext.getFileContext(dir.toUri(), conf), false,
                    uri.toString());
            output.removeTemporaries();
            return output;
        } catch (IOException e) {
            throw new OutputException("--output " + uri + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * An existing output directory, to read (nothing in it is changed): {@code where} ("--input LOCATION") names it
     * in messages, {@code what} ("train output directory") says what it must be. A missing location or a file is a
     * {@link JobConfigException}.
     */
    public static RunOutput existing(URI uri, Configuration conf, String where, String what) {
        try {
            FileSystem fs = FileSystem.get(uri, conf);
            Path dir = fs.makeQualified(new Path(uri));
            if (!fs.exists(dir)) {
                throw new JobConfigException(where + " does not exist");
            }
            if (!fs.getFileStatus(dir).isDirectory()) {
                throw new JobConfigException(where + " is a file, not a " + what);
            }
            return new RunOutput(uri, dir, fs, FileContext.getFileContext(dir.toUri(), conf), false, where);
        } catch (IOException e) {
            throw new OutputException(where + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Removes the temporary files interrupted writes left. */
    private void removeTemporaries() throws IOException {
        for (FileStatus st : fs.listStatus(dir, p -> p.getName().startsWith(".") && p.getName().endsWith(".tmp"))) {
            log.info("Removing {}, left by an interrupted write", SourceNames.redact(st.getPath().toString()));
            deleteQuietly(st.getPath());
        }
    }

    /**
     * The subdirectory {@code name} of this output (created if missing, temporary files of interrupted writes
     * removed) as an output of its own, whose files are written atomically in the same way.
     */
    public RunOutput subdirectory(String name) {
        Path sub = path(name);
        try {
            if (!fs.mkdirs(sub)) {
                throw new IOException("mkdirs failed");
            }
            RunOutput output = new RunOutput(TrainConfig.child(uri, name), sub, fs, fc, false, label + "/" + name);
            output.removeTemporaries();
            return output;
        } catch (IOException e) {
            throw new OutputException(Provenance.redact(uri) + ": could not create " + name + "/: " + e.getMessage(),
                    e);
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

    /** The text of {@code name}, or null if there is no such file; a directory of that name is refused. */
    public String readText(String name) {
        try {
            if (fs.getFileStatus(path(name)).isDirectory()) {
                throw new JobConfigException(label + ": " + name + " is a directory, not a file");
            }
            try (InputStream in = fs.open(path(name))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new OutputException(label + ": " + name + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the directory {@code name} with {@code files} (name to content) as a whole: written under a temporary
     * name, then renamed over the previous one, so a reader sees the old directory or the new one, and a failure
     * leaves the old one in place. {@code what} names the directory in messages ("the report").
     *
     * @return the directory's qualified path
     */
    public Path writeDirectory(String name, Map<String, byte[]> files, String what) {
        String location = Provenance.redact(uri);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Path tmp = path(name + ".tmp-" + suffix);
        Path target = path(name);
        Path old = path(name + ".old-" + suffix);
        boolean published = false;
        try {
            if (!fs.mkdirs(tmp)) {
                throw new IOException("could not create " + tmp.getName());
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                try (OutputStream out = fs.create(new Path(tmp, f.getKey()), false)) {
                    out.write(f.getValue());
                }
            }
            boolean replacing = fs.exists(target);
            if (replacing && !fs.rename(target, old)) {
                throw new IOException("could not move the previous " + name + "/ away");
            }
            if (!fs.rename(tmp, target)) {
                if (replacing && !fs.rename(old, target)) {
                    log.warn("The previous {} of {} is left at {}", name, location, old);
                }
                throw new IOException("could not rename " + tmp.getName() + " to " + name + "/");
            }
            published = true;
            if (replacing && !fs.delete(old, true)) {
                log.warn("Could not delete the previous {} of {} at {}", name, location, old);
            }
            return fs.makeQualified(target);
        } catch (IOException e) {
            throw new OutputException(location + ": could not write " + what + ": " + e.getMessage(), e);
        } finally {
            if (!published) {
                try {
                    fs.delete(tmp, true);
                } catch (IOException e) {
                    log.warn("Could not delete {}: {}", tmp, e.getMessage());
                }
            }
        }
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
