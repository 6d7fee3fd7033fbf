package org.sparsevd.job.sweep;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.sparsity.LayerSparsity;
import org.sparsevd.core.sparsity.SparsityReport;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.job.TrainJob;
import org.sparsevd.job.Watch;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.eval.EvalCounts;
import org.sparsevd.job.eval.MaskedEvaluator;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.PointProvenance;
import org.sparsevd.job.metrics.SweepPoint;
import org.sparsevd.job.metrics.SweepSelection;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.RunReader;
import org.sparsevd.job.output.SweepFiles;
import org.sparsevd.job.report.RunReport;
import org.sparsevd.job.report.SweepReport;
import org.sparsevd.job.train.CachedBlocks;
import org.sparsevd.job.train.Models;
import org.sparsevd.job.train.TrainingData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code sweep}: in one Spark application the data is read, validated and cached once; then for each KL weight
 * not yet recorded in the output, one training run ({@link TrainJob} on the cached data, into
 * {@code runs/kl-W/}), whose model is evaluated under every threshold in a single pass over the test set
 * ({@link MaskedEvaluator}: thresholds need no retraining), and the run's points are recorded at once. A sweep
 * killed at any moment and started again with the same spec and output trains only the KL weights without rows,
 * an unfinished run continuing from its last checkpoint (as {@code train --resume} does: it ends with the
 * parameters of an uninterrupted run), and ends with every point recorded exactly once.
 */
public final class SweepJob {
    private static final Logger log = LoggerFactory.getLogger(SweepJob.class);

    private final SweepConfig config;
    private final Watch watch;

    /** @param watch progress lines and live reports of the sweep's runs */
    public SweepJob(SweepConfig config, Watch watch) {
        if (config == null || watch == null) {
            throw new IllegalArgumentException("a sweep needs its configuration and watch options");
        }
        this.config = config;
        this.watch = watch;
    }

    /** Runs (or resumes) the sweep and returns all its points, in spec order. */
    public List<SweepPoint> run() {
        NativeThreads.apply();
        Configuration hadoopConf = new Configuration();
        TrainConfig train = config.train();
        SweepOutput output = SweepOutput.prepare(config, hadoopConf);
        String where = Provenance.redact(train.output());
        int n = config.points();
        log.info("Sweep of {} KL weights x {} thresholds = {} points into {}{}", config.klWeights().size(),
                config.thresholds().size(), n, where, output.resuming()
                        ? ": resuming, " + output.points().size() + " points already recorded" : "");
        if (output.points().size() == n) {
            log.info("Sweep: all {} points are already recorded in {}; nothing to do", n, where);
            logSelection(output.points(), where);
            return output.points();
        }
        if (watch.report()) {
            RunReport.warmUpInBackground();
        }
        TrainingData data = TrainingData.load(train.data(), train.seed(), hadoopConf);
        Models.checkInput(train.model(), data.train());
        try (JavaSparkContext sc = new JavaSparkContext(TrainJob.sparkConf(
                "sparsevd sweep " + train.model().name(), train.cluster()))) {
            TrainJob.logSparkUi(sc);
            Map<String, String> versions = Provenance.versions(sc.version());
            output.start(versions, sc.hadoopConfiguration());
            int workers = train.cluster().workers();
            try (CachedBlocks trainBlocks = new CachedBlocks(sc, data.train(), workers);
                 CachedBlocks testBlocks = new CachedBlocks(sc, data.test(), Math.min(workers, data.test().count()))) {
                int runs = config.klWeights().size();
                int perRun = config.thresholds().size();
                for (int r = 0; r < runs; r++) {
                    double w = config.klWeights().get(r);
                    String progress = String.format(Locale.ROOT, "training run %d/%d, kl_weight=%s (points %d-%d of %d)",
                            r + 1, runs, SweepConfig.plain(w), r * perRun + 1, (r + 1) * perRun, n);
                    if (output.finished(w)) {
                        log.info("Sweep: {}: already recorded, skipped", progress);
                        continue;
                    }
                    TrainConfig run = config.run(w);
                    SweepResume.RunStart start = SweepResume.prepareRun(output.directory(), w, run,
                            sc.hadoopConfiguration());
                    log.info("Sweep: {}", progress);
                    sc.setJobGroup("sparsevd-sweep-kl-" + SweepConfig.plain(w), "sparsevd sweep: " + progress, false);
                    if (start != SweepResume.RunStart.TRAINED) {
                        new TrainJob(run, start == SweepResume.RunStart.CONTINUE, m -> { }, watch)
                                .run(sc, data, trainBlocks, testBlocks, sc.hadoopConfiguration());
                    }
                    sc.setJobDescription("sparsevd sweep: " + progress + ": evaluating " + perRun + " thresholds");
                    List<SweepPoint> points = evaluate(sc, run.output(), w, testBlocks, data.normalization(),
                            versions, sc.hadoopConfiguration());
                    sc.setJobDescription(null);
                    sc.clearJobGroup();
                    output.record(points);
                    if (watch.report()) {
                        report(train.output(), sc.hadoopConfiguration());
                    }
                    for (int i = 0; i < points.size(); i++) {
                        SweepPoint p = points.get(i);
                        log.info(String.format(Locale.ROOT, "Sweep: point %d/%d: kl_weight=%s threshold=%s  "
                                        + "test_acc=%.4f  compression=%.2fx", r * perRun + i + 1, n,
                                SweepConfig.plain(w), SweepConfig.plain(p.threshold()), p.testAccuracy(),
                                p.compression()));
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            output.abandon();
            throw e;
        }
        List<SweepPoint> all = output.points();
        logSelection(all, where);
        return all;
    }

    /** Rewrites the sweep's report (and its runs'); if it cannot be written, says so and the sweep goes on. */
    private static void report(URI sweep, Configuration hadoopConf) {
        try {
            log.info("Sweep report {}", Provenance.redact(SweepReport.write(sweep, hadoopConf).toUri()));
        } catch (RuntimeException e) {
            log.warn("The sweep report could not be written (the sweep goes on; 'sparsevd report' can write it "
                    + "later): {}", e.getMessage());
        }
    }

    private void logSelection(List<SweepPoint> all, String where) {
        SweepPoint best = SweepSelection.select(all, config.maxAccuracyDrop());
        log.info(String.format(Locale.ROOT, "Sweep done: %d points in %s; selected kl_weight=%s threshold=%s "
                        + "(test_acc=%.4f, compression=%.2fx) by the rule: %s; see %s", all.size(), where,
                SweepConfig.plain(best.klWeight()), SweepConfig.plain(best.threshold()), best.testAccuracy(),
                best.compression(), SweepSelection.rule(config.maxAccuracyDrop()), SweepFiles.BEST));
    }

    /** Evaluates the model a run saved under every threshold of the sweep (one pass over the test set). */
    private List<SweepPoint> evaluate(JavaSparkContext sc, URI runDir, double klWeight, CachedBlocks test,
                                      ChannelNormalization normalization, Map<String, String> versions,
                                      Configuration hadoopConf) {
        RunReader.Run run = RunReader.read(runDir, hadoopConf);
        MultiLayerNetwork net = run.model();
        double[] thresholds = config.thresholds().stream().mapToDouble(Double::doubleValue).toArray();
        EvalCounts counts = MaskedEvaluator.evaluate(sc, net, test.rdd(), normalization, thresholds);
        PointProvenance provenance = new PointProvenance(SweepConfig.runDirectory(klWeight), config.train().seed(),
                run.last().trainExamples(), run.last().elapsedSeconds(), sc.master(), sc.sc().applicationId(),
                Instant.now().toString(), versions);
        List<SweepPoint> points = new ArrayList<>();
        for (int t = 0; t < thresholds.length; t++) {
            List<LayerSparsity> layers = SparsityReport.of(net, thresholds[t]);
            long weights = layers.stream().mapToLong(LayerSparsity::weights).sum();
            long nonzero = layers.stream().mapToLong(LayerSparsity::nonzero).sum();
            points.add(new SweepPoint(klWeight, thresholds[t], counts.accuracy(t), SparsityReport.compression(layers),
                    weights, nonzero, layers.stream().map(l -> LayerMetrics.of(l, null)).toList(), provenance));
        }
        return points;
    }
}
