package org.sparsevd.job.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;

/**
 * The FAIR scheduler pools of a sweep that trains {@code --parallel K} runs at once: one pool per slot a run trains
 * in ({@code sparsevd-run-1} … {@code sparsevd-run-K}), each FIFO inside, of equal weight, with a minimum share of
 * one run's workers, so that no run's jobs wait behind another's. The pools are written to an allocation file on the
 * driver (removed by {@link #close()}), unless {@code spark.scheduler.allocation.file} is already set, in which case
 * Spark creates the pools it does not define with its defaults. {@code spark.locality.wait} is 0 unless set: a task
 * goes to any free executor at once (fetching its cached partition) instead of waiting for the one that holds it.
 */
final class FairPools implements AutoCloseable {
    private static final String POOL = "sparsevd-run-";
    private static final String LOCALITY_WAIT = "spark.locality.wait";

    private final Path file;

    private FairPools(Path file) {
        this.file = file;
    }

    /** Sets {@code conf} to FAIR scheduling with {@code slots} pools of {@code workers} minimum share each. */
    static FairPools configure(SparkConf conf, int slots, int workers) {
        if (slots < 1 || workers < 1) {
            throw new IllegalArgumentException("pools need at least one slot and one worker, got " + slots + " and "
                    + workers);
        }
        conf.set("spark.scheduler.mode", "FAIR");
        if (!conf.contains(LOCALITY_WAIT)) {
            // Runs of the same seed share one cached copy of its data: with Spark's default wait (3 s) for the
            // executor holding a partition, their tasks queue for that executor while others idle.
            conf.set(LOCALITY_WAIT, "0s");
        }
        if (conf.contains("spark.scheduler.allocation.file")) {
            return new FairPools(null);
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<allocations>\n");
        for (int slot = 1; slot <= slots; slot++) {
            xml.append("  <pool name=\"").append(name(slot)).append("\"><schedulingMode>FIFO</schedulingMode>")
                    .append("<weight>1</weight><minShare>").append(workers).append("</minShare></pool>\n");
        }
        xml.append("</allocations>\n");
        try {
            Path file = Files.createTempFile("sparsevd-pools-", ".xml");
            Files.writeString(file, xml);
            conf.set("spark.scheduler.allocation.file", file.toUri().toString());
            return new FairPools(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the FAIR scheduler pools file: " + e.getMessage(), e);
        }
    }

    /** The pool of slot {@code slot} (1-based). */
    static String name(int slot) {
        return POOL + slot;
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }
}
