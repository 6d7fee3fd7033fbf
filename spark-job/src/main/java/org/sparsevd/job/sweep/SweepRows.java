package org.sparsevd.job.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.PointProvenance;
import org.sparsevd.job.metrics.PointStats;
import org.sparsevd.job.metrics.SweepPoint;
import org.sparsevd.job.metrics.SweepSelection;
import org.sparsevd.job.output.Json;

/** The formats of a sweep's rows: sweep.jsonl, sweep.csv and best.json. */
final class SweepRows {
    private static final ObjectMapper JSON = Json.mapper();

    private SweepRows() {
    }

    /** sweep.jsonl: one JSON object per row (point, seed), in the given order. */
    static String jsonl(List<SweepPoint> points) {
        StringBuilder jsonl = new StringBuilder();
        for (SweepPoint p : points) {
            jsonl.append(row(p)).append('\n');
        }
        return jsonl.toString();
    }

    /** One line of sweep.jsonl: append-only, so nothing that later points change (no Pareto flag). */
    static String row(SweepPoint p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sweep point is not serializable", e);
        }
    }

    /**
     * best.json: the rule, the selected point and the Pareto front of {@code points}' means over the seeds, and how
     * many runs were pruned.
     */
    static Map<String, Object> best(SweepConfig config, List<SweepPoint> points) {
        List<PointStats> stats = PointStats.of(points);
        Map<String, Object> best = new LinkedHashMap<>();
        best.put("rule", SweepSelection.rule(config.maxAccuracyDrop()));
        best.put("max_accuracy_drop", config.maxAccuracyDrop());
        best.put("seeds", config.seeds());
        best.put("prune", config.prune());
        best.put("runs_pruned", points.stream().filter(p -> p.prunedAtEpoch() != null)
                .map(p -> p.provenance().run()).distinct().count());
        best.put("best_val_accuracy", SweepSelection.bestAccuracy(stats));
        best.put("accuracy_floor", SweepSelection.accuracyFloor(stats, config.maxAccuracyDrop()));
        best.put("rows_recorded", points.size());
        best.put("rows_total", config.rows());
        best.put("complete", points.size() == config.rows());
        best.put("selected", SweepSelection.select(stats, config.maxAccuracyDrop()));
        best.put("pareto_front", SweepSelection.front(stats));
        return best;
    }

    static String csv(List<SweepPoint> points) {
        List<String> layers = points.get(0).layers().stream().map(LayerMetrics::name).toList();
        List<String> versions = List.copyOf(new java.util.TreeSet<>(points.get(0).provenance().versions().keySet()));
        StringBuilder sb = new StringBuilder("kl_weight,threshold,val_accuracy,test_accuracy,pruned_at_epoch,"
                + "compression,weights,nonzero");
        for (String l : layers) {
            sb.append(',').append(l).append("_nonzero,").append(l).append("_sparsity");
        }
        sb.append(",run,seed,train_examples,train_seconds,spark_master,spark_application_id,finished_at");
        for (String v : versions) {
            sb.append(",version_").append(v);
        }
        sb.append('\n');
        for (SweepPoint p : points) {
            sb.append(num(p.klWeight())).append(',').append(num(p.threshold())).append(',')
                    .append(num(p.valAccuracy())).append(',').append(num(p.testAccuracy())).append(',')
                    .append(p.prunedAtEpoch() == null ? "" : p.prunedAtEpoch()).append(',')
                    .append(num(p.compression())).append(',').append(p.weights()).append(',').append(p.nonzero());
            for (LayerMetrics l : p.layers()) {
                sb.append(',').append(l.nonzero()).append(',').append(num(l.sparsity()));
            }
            PointProvenance pr = p.provenance();
            sb.append(',').append(csvText(pr.run())).append(',').append(pr.seed()).append(',')
                    .append(pr.trainExamples()).append(',').append(num(pr.trainSeconds())).append(',')
                    .append(csvText(pr.sparkMaster())).append(',').append(csvText(pr.sparkApplicationId()))
                    .append(',').append(csvText(pr.finishedAt()));
            for (String v : versions) {
                sb.append(',').append(csvText(pr.versions().getOrDefault(v, "")));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A SweepFiles.CSV field: quoted when it holds a comma, quote or line break. */
    private static String csvText(String s) {
        if (s == null) {
            return "";
        }
        return s.matches("(?s).*[,\"\n\r].*") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /**
     * The order of the rows: the sweep's run order ({@link SweepConfig#runOrder()}: seeds as listed, then KL weights
     * as listed), then thresholds as listed. Runs are recorded in this order, so the rows are only ever appended.
     */
    record SpecOrder(SweepConfig config) implements java.util.Comparator<SweepPoint> {
        @Override
        public int compare(SweepPoint a, SweepPoint b) {
            return java.util.Comparator.<SweepPoint>comparingInt(p -> config.seeds().indexOf(p.provenance().seed()))
                    .thenComparingInt(p -> config.klWeights().indexOf(p.klWeight()))
                    .thenComparingInt(p -> config.thresholds().indexOf(p.threshold()))
                    .compare(a, b);
        }
    }
}
