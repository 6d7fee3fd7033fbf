package org.sparsevd.job.output;

/** The names of the files of a {@code sweep} output directory (each run has a train output under {@code runs/}). */
public final class SweepFiles {
    /** The spec the sweep was started with, where and when. */
    public static final String SPEC = "sweep.json";
    /** One JSON object per finished (KL weight, threshold) point, in spec order. */
    public static final String ROWS = "sweep.jsonl";
    /** The rows as CSV. */
    public static final String CSV = "sweep.csv";
    /** The selected point and the Pareto front. */
    public static final String BEST = "best.json";

    private SweepFiles() {
    }
}
