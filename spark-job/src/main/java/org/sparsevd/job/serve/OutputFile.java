package org.sparsevd.job.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.Provenance;

/**
 * New files written all or nothing on any Hadoop FileSystem: each to a hidden temporary name beside it, then renamed
 * into place; an existing file is never replaced, and if any write fails the files already placed are removed.
 */
final class OutputFile {
    private OutputFile() {
    }

    /** Fails (one line naming the option) if {@code file} exists. */
    static void requireAbsent(String option, URI file, Configuration conf) {
        try {
            if (FileSystem.get(file, conf).exists(new Path(file))) {
                throw new OutputException(option + " " + Provenance.redact(file) + " already exists; choose a new name "
                        + "or remove it");
            }
        } catch (IOException e) {
            throw new OutputException(option + " " + Provenance.redact(file) + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Writes every (file, bytes) pair, or none of them. */
    static void writeAll(List<URI> files, List<byte[]> contents, Configuration conf) {
        List<Path> placed = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < files.size(); i++) {
                Path target = new Path(files.get(i));
                FileSystem fs = FileSystem.get(files.get(i), conf);
                Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
                try (OutputStream out = fs.create(tmp, false)) {
                    out.write(contents.get(i));
                } catch (IOException e) {
                    fs.delete(tmp, false);
                    throw e;
                }
                FileContext.getFileContext(files.get(i), conf).rename(tmp, target, Options.Rename.NONE);
                placed.add(target);
            }
        } catch (IOException e) {
            for (Path p : placed) {
                try {
                    p.getFileSystem(conf).delete(p, false);
                } catch (IOException ignored) {
                    // best effort: the first failure is the one reported
                }
            }
            throw new OutputException("cannot write " + Provenance.redact(files.get(placed.size()).normalize())
                    + ": " + e.getMessage(), e);
        }
    }
}
