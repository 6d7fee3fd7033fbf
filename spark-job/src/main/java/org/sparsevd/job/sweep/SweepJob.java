package org.sparsevd.job.sweep;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.sparsity.LayerSparsity;
import org.sparsevd.core.sparsity.SparsityReport;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.job.run.TrainJob;
import org.sparsevd.job.run.Watch;
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
import org.sparsevd.job.output.Checkpoint;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.RunOutput;
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
import org.slf4j.MDC;
import org.sparsevd.datasets.SourceNames;

/**
 * One {@code sweep}: in one Spark application, one training run per (KL weight, seed) that is not yet recorded in the
 * output ({@link TrainJob} on data read, split and cached once per seed, into {@code runs/kl-W-seed-S/}), whose model
 * is evaluated under every threshold in a single pass over the validation set and one over the test set
 * ({@link MaskedEvaluator}: thresholds need no retraining); the run's rows are recorded at once. A sweep killed at any
 * moment and started again with the same spec and output trains only the runs without rows, an unfinished run
 * continuing from its last checkpoint (as {@code train --resume} does: it ends with the parameters of an uninterrupted
 * run), and ends with every (point, seed) recorded exactly once. The selection looks at validation accuracy only
 * ({@link SweepSelection}).
 *
 * <p>Up to {@code --parallel K} runs train at once, each on a thread of its own with its own FAIR scheduler pool
 * ({@link FairPools}) and job group; runs start and are recorded in run order ({@link SweepConfig#runOrder()}), so the
 * rows, and every result, are those of a sequential sweep. Each run has its own network, trainer and listeners on the
 * driver; the output files are written by the sweep's own thread only.
 *
 * <p>With {@code --prune floor} or {@code median} a run is stopped after an epoch where the {@link RunPruner} says
 * so; its model of that epoch is evaluated and recorded like any other (its rows say {@code pruned_at_epoch}), so a
 * resumed sweep neither trains it again nor loses it. The pruner compares a run with the earlier runs of its seed in
 * run order (read back from their checkpoints on a resumed sweep), also when they train at the same time.
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

    /** Runs (or resumes) the sweep and returns all its rows, in run order. */
    public List<SweepPoint> run() {
        NativeThreads.apply();
        Configuration hadoopConf = new Configuration();
        TrainConfig train = config.train();
        SweepOutput output = SweepOutput.prepare(config, hadoopConf);
        String where = Provenance.redact(train.output());
        int rows = config.rows();
        log.info("Sweep of {} KL weights x {} thresholds = {} points, {} seed(s) each: {} training runs ({} at once), "
                        + "{} rows into {}{}", config.klWeights().size(), config.thresholds().size(), config.points(),
                config.seeds().size(), config.runs(), config.parallel(), rows, where, output.resuming()
                        ? ": resuming, " + output.points().size() + " rows already recorded" : "");
        if (output.points().size() == rows) {
            log.info("Sweep: all {} rows are already recorded in {}; nothing to do", rows, where);
            logSelection(output.points(), where);
            return output.points();
        }
        String pruning = config.pruningWarning();
        if (pruning != null) {
            log.warn("Sweep: {}", pruning);
        }
        if (watch.report()) {
            RunReport.warmUpInBackground();
        }
        TrainingData first = TrainingData.load(train.data(), config.seeds().get(0), hadoopConf); // fails before Spark
        Models.checkInput(train.model(), first.train());
        SparkConf conf = train.cluster().sparkConf("sparsevd sweep " + train.model().name());
        try (FairPools pools = config.parallel() > 1
                ? FairPools.configure(conf, config.parallel(), train.cluster().workers()) : null;
             JavaSparkContext sc = new JavaSparkContext(conf)) {
            TrainJob.logSparkUi(sc);
            Map<String, String> versions = Provenance.versions(sc.version());
            output.start(versions, sc.hadoopConfiguration());
            new Runs(sc, output, first, versions).train();
        } catch (RuntimeException | Error e) {
            output.abandon();
            throw e;
        }
        List<SweepPoint> all = output.points();
        logSelection(all, where);
        return all;
    }

    /** What a training run's thread hands back: its rows, or how it failed. */
    private record Finished(int run, int slot, List<SweepPoint> points, Throwable failure) {
    }

    /**
     * The sweep's training runs, up to {@code --parallel} at once: started in run order, each on a thread of its own
     * in a slot (its FAIR pool and job group), and recorded in run order, a finished run waiting for the runs before
     * it, so the rows are only ever appended and are the same for any {@code --parallel}. A run that fails stops the
     * sweep: no new run starts, the others are cancelled (keeping their checkpoints), and the first failure is thrown
     * once every thread has ended.
     */
    private final class Runs {
        private final JavaSparkContext sc;
        private final SweepOutput output;
        private final TrainingData first;
        private final Map<String, String> versions;
        private final List<SweepConfig.Run> order = config.runOrder();
        private final RunPruner pruner;
        private final Map<Long, CachedData> cached = new HashMap<>();
        private final Map<Long, Integer> toTrain = new HashMap<>();
        private final Map<Integer, Integer> inFlight = new TreeMap<>();
        private volatile String stopping;

        Runs(JavaSparkContext sc, SweepOutput output, TrainingData first, Map<String, String> versions) {
            this.sc = sc;
            this.output = output;
            this.first = first;
            this.versions = versions;
            this.pruner = config.prunes()
                    ? new RunPruner(config.prune().equals(SweepConfig.PRUNE_MEDIAN) ? RunPruner.Rule.MEDIAN
                    : RunPruner.Rule.FLOOR, config.pruneMargin() / 100, config.pruneAfter(),
                    order.stream().map(SweepConfig.Run::seed).toList()) : null;
        }

        void train() {
            int n = order.size();
            boolean[] recorded = new boolean[n];
            for (int i = 0; i < n; i++) {
                SweepConfig.Run r = order.get(i);
                recorded[i] = output.finished(r.klWeight(), r.seed());
                if (recorded[i]) {
                    log.info("Sweep: {}: already recorded, skipped", label(i));
                    if (pruner != null) {
                        pruner.trained(i, valAccuracies(config.run(r.klWeight(), r.seed()), sc.hadoopConfiguration()));
                        pruner.stopped(i);
                    }
                } else {
                    toTrain.merge(r.seed(), 1, Integer::sum);
                }
            }
            ExecutorService threads = Executors.newFixedThreadPool(config.parallel(), daemonThreads());
            CompletionService<Finished> done = new ExecutorCompletionService<>(threads);
            Deque<Integer> freeSlots = new ArrayDeque<>();
            for (int slot = 1; slot <= config.parallel(); slot++) {
                freeSlots.add(slot);
            }
            Map<Integer, List<SweepPoint>> unrecorded = new TreeMap<>();
            Throwable failure = null;
            int next = 0;
            int toRecord = 0;
            try {
                while (true) {
                    while (failure == null && inFlight.size() < config.parallel() && next < n) {
                        if (!recorded[next]) {
                            try {
                                start(done, next, freeSlots.removeFirst());
                            } catch (RuntimeException | Error e) {
                                failure = stop(e);
                            }
                        }
                        next++;
                    }
                    while (toRecord < n && (recorded[toRecord] || unrecorded.containsKey(toRecord))) {
                        if (!recorded[toRecord] && failure == null) {
                            try {
                                record(toRecord, unrecorded.remove(toRecord));
                            } catch (RuntimeException | Error e) {
                                failure = stop(e);
                            }
                        }
                        toRecord++;
                    }
                    if (inFlight.isEmpty()) {
                        break;
                    }
                    Finished f = done.take().get(); // the threads catch everything: get() does not throw
                    inFlight.remove(f.run());
                    freeSlots.addFirst(f.slot());
                    release(order.get(f.run()).seed());
                    if (f.failure() == null) {
                        unrecorded.put(f.run(), f.points());
                        log.info("Sweep: {} done; {}", label(f.run()), inFlightNow());
                    } else if (failure == null) {
                        failure = stop(f.failure());
                    } else if (failure != f.failure()) {
                        failure.addSuppressed(f.failure());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = stop(e);
            } catch (java.util.concurrent.ExecutionException e) {
                failure = stop(e.getCause());
            } finally {
                threads.shutdownNow();
                cached.values().forEach(CachedData::close);
                cached.clear();
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
        }

        /** Starts run {@code i} in {@code slot} on its own thread (its seed's data cached first, if not yet). */
        private void start(CompletionService<Finished> done, int i, int slot) {
            SweepConfig.Run r = order.get(i);
            CachedData data = cached.computeIfAbsent(r.seed(), seed -> CachedData.of(sc,
                    seed.equals(config.seeds().get(0)) ? first
                            : TrainingData.load(config.train().data(), seed, sc.hadoopConfiguration()),
                    config.train().cluster().workers()));
            inFlight.put(i, slot);
            String pool = config.parallel() > 1 ? FairPools.name(slot) : null;
            log.info("Sweep: {} starts{}; {}", label(i), pool == null ? "" : " in pool " + pool, inFlightNow());
            done.submit(() -> {
                sc.setLocalProperty("spark.scheduler.pool", pool);
                if (pool != null) {
                    MDC.put("run", "[" + label(i) + "] ");
                }
                try {
                    return new Finished(i, slot, runOne(i, data), null);
                } catch (RuntimeException | Error e) {
                    if (pruner != null) {
                        pruner.abandon(label(i) + " failed");
                    }
                    return new Finished(i, slot, null, e);
                } finally {
                    sc.clearJobGroup();
                    sc.setLocalProperty("spark.scheduler.pool", null);
                    MDC.remove("run");
                }
            });
        }

        /** After the first failure: no new run starts, the runs in flight are cancelled. */
        private Throwable stop(Throwable failure) {
            stopping = String.valueOf(failure);
            if (pruner != null) {
                pruner.abandon("another run failed");
            }
            for (int i : inFlight.keySet()) {
                sc.cancelJobGroup(group(order.get(i)));
            }
            if (!inFlight.isEmpty()) {
                log.warn("Sweep: a run failed ({}); cancelling {}", SourceNames.redact(String.valueOf(
                        failure.getMessage())), inFlightNow());
            }
            return failure;
        }

        /** Frees the cached data of {@code seed} once its last run to train has ended. */
        private void release(long seed) {
            if (toTrain.merge(seed, -1, Integer::sum) == 0) {
                CachedData data = cached.remove(seed);
                if (data != null) {
                    data.close();
                }
            }
        }

        /**
         * Trains (or continues, or only evaluates) run {@code i}, on its own thread, and evaluates its model under
         * every threshold.
         */
        private List<SweepPoint> runOne(int i, CachedData data) {
            SweepConfig.Run r = order.get(i);
            TrainConfig run = config.run(r.klWeight(), r.seed());
            SweepResume.RunStart start = SweepResume.prepareRun(output.directory(), r.klWeight(), r.seed(), run,
                    sc.hadoopConfiguration());
            sc.setJobGroup(group(r), "sparsevd sweep: " + label(i), false);
            if (pruner != null) {
                pruner.trained(i, start == SweepResume.RunStart.FRESH ? new double[0]
                        : valAccuracies(run, sc.hadoopConfiguration()));
            }
            if (start != SweepResume.RunStart.TRAINED) {
                new TrainJob(run, start == SweepResume.RunStart.CONTINUE, m -> {
                    if (pruner != null) {
                        pruner.epoch(i, m.epoch(), m.valAccuracy());
                    }
                }, m -> shouldStop(i, m), watch).run(sc, data, sc.hadoopConfiguration());
            }
            if (pruner != null) {
                pruner.stopped(i);
            }
            sc.setJobDescription("sparsevd sweep: " + label(i) + ": evaluating " + config.thresholds().size()
                    + " thresholds");
            List<SweepPoint> points = evaluate(sc, run, data, versions);
            sc.setJobDescription(null);
            return points;
        }

        /** Asked after each epoch of run {@code i}: fails once the sweep stops; else the pruner's decision. */
        private boolean shouldStop(int i, EpochMetrics m) {
            if (stopping != null) {
                throw new java.util.concurrent.CancellationException("the sweep stops: another run failed");
            }
            if (pruner == null || !pruner.prunes(i, m.epoch(), m.valAccuracy())) {
                return false;
            }
            log.info(String.format(Locale.ROOT, "Sweep: %s: pruned at epoch %d: val_acc=%.4f is below %s", label(i),
                    m.epoch(), m.valAccuracy(), pruner.describeBar(i, m.epoch())));
            return true;
        }

        /** Records run {@code i}'s rows (on the sweep's own thread), logs them, rewrites the report if asked. */
        private void record(int i, List<SweepPoint> points) {
            output.record(points);
            if (watch.report()) {
                report(config.train().output(), sc.hadoopConfiguration());
            }
            int recorded = output.points().size() - points.size();
            for (SweepPoint p : points) {
                log.info(String.format(Locale.ROOT, "Sweep: row %d/%d: kl_weight=%s threshold=%s seed=%d  "
                                + "val_acc=%.4f test_acc=%.4f  compression=%.2fx%s", ++recorded, config.rows(),
                        SweepConfig.plain(p.klWeight()), SweepConfig.plain(p.threshold()), p.provenance().seed(),
                        p.valAccuracy(), p.testAccuracy(), p.compression(),
                        p.prunedAtEpoch() == null ? "" : "  pruned at epoch " + p.prunedAtEpoch()));
            }
        }

        /** {@code training run 3/9, kl_weight=0.3 seed=7}. */
        private String label(int i) {
            SweepConfig.Run r = order.get(i);
            return String.format(Locale.ROOT, "training run %d/%d, kl_weight=%s seed=%d", i + 1, order.size(),
                    SweepConfig.plain(r.klWeight()), r.seed());
        }

        /** {@code in flight: runs 2, 3 of 9}. */
        private String inFlightNow() {
            return inFlight.isEmpty() ? "none in flight" : "in flight: run" + (inFlight.size() > 1 ? "s " : " ")
                    + String.join(", ", inFlight.keySet().stream().map(i -> String.valueOf(i + 1)).toList()) + " of "
                    + order.size();
        }
    }

    /** The Spark job group of a run's jobs. */
    private static String group(SweepConfig.Run r) {
        return "sparsevd-sweep-kl-" + SweepConfig.plain(r.klWeight()) + "-seed-" + r.seed();
    }

    /** Threads named {@code sparsevd-sweep-run-N} that do not keep the JVM alive. */
    private static java.util.concurrent.ThreadFactory daemonThreads() {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "sparsevd-sweep-run-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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

    /** The validation accuracy after each epoch a run has trained, from its checkpoint. */
    private static double[] valAccuracies(TrainConfig run, Configuration hadoopConf) {
        return Checkpoint.read(RunOutput.open(run.output(), hadoopConf), run).metrics().stream()
                .mapToDouble(EpochMetrics::valAccuracy).toArray();
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
