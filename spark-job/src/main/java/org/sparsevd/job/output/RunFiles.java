package org.sparsevd.job.output;

/** The names of the files of a {@code train} output directory, and the status values its run.json records. */
public final class RunFiles {
    /** One JSON object per finished epoch ({@link MetricsWriter}). */
    public static final String METRICS_JSONL = "metrics.jsonl";
    /** One CSV row per finished epoch ({@link MetricsWriter}). */
    public static final String METRICS_CSV = "metrics.csv";
    /** The state after the last finished epoch, for {@code --resume} ({@link Checkpoint}). */
    public static final String CHECKPOINT = "checkpoint.zip";
    /** The trained network (DL4J's ModelSerializer format, with its updater state), written when the run ends. */
    public static final String MODEL = "model.zip";
    /** The run's configuration, provenance and final metrics; written last, so it marks a completed run. */
    public static final String RUN = "run.json";

    /** run.json's {@code status} while the run trains (the live report's record). */
    public static final String STATUS_TRAINING = "training";
    /** run.json's {@code status} once the run has trained all its epochs. */
    public static final String STATUS_COMPLETED = "completed";
    /** run.json's {@code status} of a run stopped early by a sweep's pruner (its last epoch in pruned_at_epoch). */
    public static final String STATUS_PRUNED = "pruned";

    private RunFiles() {
    }
}
