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
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.PointStats;
import org.sparsevd.job.metrics.PointProvenance;
import org.sparsevd.job.metrics.SweepPoint;
import org.sparsevd.job.metrics.SweepSelection;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.output.RunReader;
import org.sparsevd.job.output.SweepFiles;
import org.sparsevd.job.report.RunReport;
import org.sparsevd.job.report.SweepReport;
import org.sparsevd.job.train.CachedData;
import org.sparsevd.job.train.Models;
import org.sparsevd.job.train.TrainingData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code sweep}: in one Spark application, for each seed, the data is read, split and cached once; then for
 * each KL weight whose run with that seed is not yet recorded in the output, one training run ({@link TrainJob} on
 * the cached data, into {@code runs/kl-W-seed-S/}), whose model is evaluated under every threshold in a single pass
 * over the validation set and one over the test set ({@link MaskedEvaluator}: thresholds need no retraining), and
 * the run's rows are recorded at once. A sweep killed at any moment and started again with the same spec and output
 * trains only the runs without rows, an unfinished run continuing from its last checkpoint (as
 * {@code train --resume} does: it ends with the parameters of an uninterrupted run), and ends with every (point,
 * seed) recorded exactly once. The selection looks at validation accuracy only ({@link SweepSelection}).
 *
 * <p>With {@code --prune median} a run is stopped after an epoch where the {@link MedianPruner} says so; its model
 * of that epoch is evaluated and recorded like any other (its rows say {@code pruned_at_epoch}), so a resumed sweep
 * neither trains it again nor loses it. The pruner knows the recorded runs' per-epoch validation accuracies (read
 * back from their metrics on a resumed sweep) and each run's as it is recorded.
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

    /** Runs (or resumes) the sweep and returns all its rows, in spec order. */
    public List<SweepPoint> run() {
        NativeThreads.apply();
        Configuration hadoopConf = new Configuration();
        TrainConfig train = config.train();
        SweepOutput output = SweepOutput.prepare(config, hadoopConf);
        String where = Provenance.redact(train.output());
        int rows = config.rows();
        log.info("Sweep of {} KL weights x {} thresholds = {} points, {} seed(s) each: {} training runs, {} rows "
                        + "into {}{}", config.klWeights().size(), config.thresholds().size(), config.points(),
                config.seeds().size(), config.runs(), rows, where, output.resuming()
                        ? ": resuming, " + output.points().size() + " rows already recorded" : "");
        if (output.points().size() == rows) {
            log.info("Sweep: all {} rows are already recorded in {}; nothing to do", rows, where);
            logSelection(output.points(), where);
            return output.points();
        }
        if (watch.report()) {
            RunReport.warmUpInBackground();
        }
        long firstSeed = config.seeds().get(0);
        TrainingData first = TrainingData.load(train.data(), firstSeed, hadoopConf); // bad data fails before Spark
        Models.checkInput(train.model(), first.train());
        try (JavaSparkContext sc = new JavaSparkContext(TrainJob.sparkConf(
                "sparsevd sweep " + train.model().name(), train.cluster()))) {
            TrainJob.logSparkUi(sc);
            Map<String, String> versions = Provenance.versions(sc.version());
            output.start(versions, sc.hadoopConfiguration());
            MedianPruner pruner = config.prunes() ? pruner(output.points(), sc.hadoopConfiguration()) : null;
            int run = 0;
            for (long seed : config.seeds()) {
                if (config.klWeights().stream().allMatch(w -> output.finished(w, seed))) {
                    run += config.klWeights().size();
                    log.info("Sweep: seed {}: every run already recorded, skipped", seed);
                    continue;
                }
                TrainingData data = seed == firstSeed ? first
                        : TrainingData.load(train.data(), seed, sc.hadoopConfiguration());
                try (CachedData cached = CachedData.of(sc, data, train.cluster().workers())) {
                    for (double w : config.klWeights()) {
                        runOne(sc, output, cached, w, seed, ++run, versions, pruner);
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

    /** Trains (or continues, or only evaluates) the run of {@code w} and {@code seed} unless recorded; records it. */
    private void runOne(JavaSparkContext sc, SweepOutput output, CachedData cached, double w, long seed, int number,
                        Map<String, String> versions, MedianPruner pruner) {
        String progress = String.format(Locale.ROOT, "training run %d/%d, kl_weight=%s seed=%d", number,
                config.runs(), SweepConfig.plain(w), seed);
        if (output.finished(w, seed)) {
            log.info("Sweep: {}: already recorded, skipped", progress);
            return;
        }
        TrainConfig run = config.run(w, seed);
        SweepResume.RunStart start = SweepResume.prepareRun(output.directory(), w, seed, run,
                sc.hadoopConfiguration());
        log.info("Sweep: {}", progress);
        sc.setJobGroup("sparsevd-sweep-kl-" + SweepConfig.plain(w) + "-seed-" + seed, "sparsevd sweep: " + progress,
                false);
        if (start != SweepResume.RunStart.TRAINED) {
            new TrainJob(run, start == SweepResume.RunStart.CONTINUE, m -> { }, m -> pruner != null
                    && prune(pruner, seed, m, progress), watch).run(sc, cached, sc.hadoopConfiguration());
        }
        sc.setJobDescription("sparsevd sweep: " + progress + ": evaluating " + config.thresholds().size()
                + " thresholds");
        List<SweepPoint> points = evaluate(sc, run, cached, versions);
        sc.setJobDescription(null);
        sc.clearJobGroup();
        output.record(points);
        if (pruner != null) {
            pruner.add(seed, valAccuracies(run.output(), sc.hadoopConfiguration()));
        }
        if (watch.report()) {
            report(config.train().output(), sc.hadoopConfiguration());
        }
        int recorded = output.points().size() - points.size();
        for (SweepPoint p : points) {
            log.info(String.format(Locale.ROOT, "Sweep: row %d/%d: kl_weight=%s threshold=%s seed=%d  val_acc=%.4f "
                            + "test_acc=%.4f  compression=%.2fx%s", ++recorded, config.rows(), SweepConfig.plain(w),
                    SweepConfig.plain(p.threshold()), seed, p.valAccuracy(), p.testAccuracy(), p.compression(),
                    p.prunedAtEpoch() == null ? "" : "  pruned at epoch " + p.prunedAtEpoch()));
        }
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

    /** Asks the pruner about a run after epoch {@code m}; logs a stop. */
    private static boolean prune(MedianPruner pruner, long seed, EpochMetrics m, String progress) {
        boolean stop = pruner.prunes(seed, m.epoch(), m.valAccuracy());
        if (stop) {
            log.info(String.format(Locale.ROOT, "Sweep: %s: pruned at epoch %d: val_acc=%.4f is below the median "
                            + "%.4f of the earlier runs of seed %d at that epoch", progress, m.epoch(), m.valAccuracy(),
                    pruner.median(seed, m.epoch()), seed));
        }
        return stop;
    }

    /** A pruner that knows the recorded runs. */
    private MedianPruner pruner(List<SweepPoint> recorded, Configuration hadoopConf) {
        MedianPruner pruner = new MedianPruner(config.pruneAfter());
        for (double w : config.klWeights()) {
            for (long seed : config.seeds()) {
                if (recorded.stream().anyMatch(p -> p.ofRun(w, seed))) {
                    pruner.add(seed, valAccuracies(config.run(w, seed).output(), hadoopConf));
                }
            }
        }
        return pruner;
    }

    /** The validation accuracy after each epoch of the run in {@code dir}. */
    private static double[] valAccuracies(URI dir, Configuration hadoopConf) {
        return RunReader.read(dir, hadoopConf).epochs().stream().mapToDouble(EpochMetrics::valAccuracy).toArray();
    }

    private void logSelection(List<SweepPoint> all, String where) {
        PointStats best = SweepSelection.select(PointStats.of(all), config.maxAccuracyDrop());
        log.info(String.format(Locale.ROOT, "Sweep done: %d rows in %s; selected kl_weight=%s threshold=%s "
                        + "(over %d seed(s): val_acc=%.4f, test_acc=%.4f, compression=%.2fx) by the rule: %s; see %s",
                all.size(), where, SweepConfig.plain(best.klWeight()), SweepConfig.plain(best.threshold()),
                best.seeds().size(), best.valAccuracy(), best.testAccuracy(), best.compression(),
                SweepSelection.rule(config.maxAccuracyDrop()), SweepFiles.BEST));
    }

    /**
     * Evaluates the model a run saved under every threshold of the sweep (one pass over the validation set, one over
     * the test set).
     */
    private List<SweepPoint> evaluate(JavaSparkContext sc, TrainConfig runConfig, CachedData cached,
                                      Map<String, String> versions) {
        RunReader.Run run = RunReader.read(runConfig.output(), sc.hadoopConfiguration());
        MultiLayerNetwork net = run.model();
        double[] thresholds = config.thresholds().stream().mapToDouble(Double::doubleValue).toArray();
        ChannelNormalization normalization = cached.data().normalization();
        EvalCounts val = MaskedEvaluator.evaluate(sc, net, cached.validation().rdd(), normalization, thresholds);
        EvalCounts test = MaskedEvaluator.evaluate(sc, net, cached.test().rdd(), normalization, thresholds);
        double klWeight = runConfig.schedule().klWeight();
        Integer prunedAt = RunFiles.STATUS_PRUNED.equals(run.info().path("status").asText())
                ? run.info().get("pruned_at_epoch").asInt() : null;
        PointProvenance provenance = new PointProvenance(SweepConfig.runDirectory(klWeight, runConfig.seed()),
                runConfig.seed(), run.last().trainExamples(), run.last().elapsedSeconds(), sc.master(),
                sc.sc().applicationId(), Instant.now().toString(), versions);
        List<SweepPoint> points = new ArrayList<>();
        for (int t = 0; t < thresholds.length; t++) {
            List<LayerSparsity> layers = SparsityReport.of(net, thresholds[t]);
            long weights = layers.stream().mapToLong(LayerSparsity::weights).sum();
            long nonzero = layers.stream().mapToLong(LayerSparsity::nonzero).sum();
            points.add(new SweepPoint(klWeight, thresholds[t], val.accuracy(t), test.accuracy(t), prunedAt,
                    SparsityReport.compression(layers), weights, nonzero,
                    layers.stream().map(l -> LayerMetrics.of(l, null)).toList(), provenance));
        }
        return points;
    }
}
