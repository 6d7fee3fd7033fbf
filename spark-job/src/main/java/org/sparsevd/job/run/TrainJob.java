package org.sparsevd.job.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.schedule.KlWeightSchedule;
import org.sparsevd.core.sparsity.LayerSparsity;
import org.sparsevd.core.sparsity.SparsityReport;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.SweepConfig;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.eval.EvalCounts;
import org.sparsevd.job.eval.MaskedEvaluator;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.LogAlphaHistogram;
import org.sparsevd.job.output.MetricsWriter;
import org.sparsevd.job.output.Checkpoint;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.RunFiles;
import org.sparsevd.job.serve.ModelInput;
import org.sparsevd.job.output.RunOutput;
import org.sparsevd.job.report.RunReport;
import org.sparsevd.job.train.CachedBlocks;
import org.sparsevd.job.train.CachedData;
import org.sparsevd.job.train.EpochFit;
import org.sparsevd.job.train.EpochProgress;
import org.sparsevd.job.train.Models;
import org.sparsevd.job.train.SparkTrainer;
import org.sparsevd.job.train.TrainingData;
import org.sparsevd.job.train.TrainingDivergedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparsevd.datasets.SourceNames;

/**
 * One {@code train} run end to end: check the output location, read and validate the data, train on Spark with
 * per-epoch driver metrics and checkpoints, and write {@code metrics.jsonl}/{@code metrics.csv}, {@code model.zip}
 * and {@code run.json}. Nothing is created before the inputs are known good.
 *
 * <p>After every epoch the driver writes {@link RunFiles#CHECKPOINT} (then the metrics), so a run that fails or is killed
 * after its first epoch keeps its output directory for {@code --resume}, which continues from the last complete
 * checkpoint with the metrics of exactly the epochs it holds. A run that fails before any checkpoint removes its
 * output directory.
 */
public final class TrainJob {
    private static final Logger log = LoggerFactory.getLogger(TrainJob.class);

    /** Bounds of the live report's reload interval, which is otherwise the last epoch's length. */
    private static final int MIN_REFRESH_SECONDS = 10;
    private static final int MAX_REFRESH_SECONDS = 300;

    private final TrainConfig config;
    private final boolean resume;
    private final Consumer<EpochMetrics> afterEpoch;
    private final Predicate<EpochMetrics> stopAfter;
    private final Watch watch;

    /** A new run; {@code config.output()} must not exist or be empty. */
    public TrainJob(TrainConfig config) {
        this(config, false, m -> { }, Watch.DEFAULT);
    }

    /**
     * @param resume     continue the run in {@code config.output()} from its checkpoint instead of starting one
     * @param afterEpoch called on the driver after each epoch's checkpoint and metrics are written
     * @param watch      progress lines and live report
     */
    public TrainJob(TrainConfig config, boolean resume, Consumer<EpochMetrics> afterEpoch, Watch watch) {
        this(config, resume, afterEpoch, m -> false, watch);
    }

    /**
     * @param stopAfter asked after each epoch (after {@code afterEpoch}), and about the checkpoint's last epoch when
     *                  resuming; {@code true} ends the run there as
     *                  {@link RunFiles#STATUS_PRUNED}: its model and run.json are written as for a completed run
     */
    public TrainJob(TrainConfig config, boolean resume, Consumer<EpochMetrics> afterEpoch,
                    Predicate<EpochMetrics> stopAfter, Watch watch) {
        this.config = Objects.requireNonNull(config, "config");
        this.resume = resume;
        this.afterEpoch = Objects.requireNonNull(afterEpoch, "afterEpoch");
        this.stopAfter = Objects.requireNonNull(stopAfter, "stopAfter");
        this.watch = Objects.requireNonNull(watch, "watch");
    }

    /**
     * Runs the job in a Spark context of its own (started here, stopped at the end). When resuming, the checkpoint is
     * read and checked before the data and Spark; a run already completed is reported and not trained again.
     */
    public List<EpochMetrics> run() {
        NativeThreads.apply();
        if (watch.report()) {
            RunReport.warmUpInBackground();
        }
        Configuration hadoopConf = new Configuration();
        if (resume) {
            RunOutput output = RunOutput.open(config.output(), hadoopConf);
            Checkpoint.read(output, config);
            checkNotCompleted(output);
        } else {
            RunOutput.checkUsable(config.output(), hadoopConf);
        }
        TrainingData data = TrainingData.load(config.data(), config.seed(), hadoopConf);
        Models.checkInput(config.model(), data.train());
        try (JavaSparkContext sc = new JavaSparkContext(
                config.cluster().sparkConf("sparsevd train " + config.model().name()))) {
            logSparkUi(sc);
            return run(sc, data, sc.hadoopConfiguration());
        }
    }

    /** Runs the job in an existing Spark context on already loaded data, cached here for this run only. */
    public List<EpochMetrics> run(JavaSparkContext sc, TrainingData data, Configuration hadoopConf) {
        try (CachedData cached = CachedData.of(sc, data, config.cluster().workers())) {
            return run(sc, cached, hadoopConf);
        }
    }

    /**
     * Runs the job on data already cached on the executors (several runs can share it), the examples trained on in
     * one block per worker of this job's configuration.
     */
    public List<EpochMetrics> run(JavaSparkContext sc, CachedData cached, Configuration hadoopConf) {
        TrainingData data = cached.data();
        CachedBlocks train = cached.train();
        Instant started = Instant.now();
        RunOutput output = resume ? RunOutput.open(config.output(), hadoopConf)
                : RunOutput.create(config.output(), hadoopConf);
        Checkpoint resumed = null;
        if (resume) {
            resumed = Checkpoint.read(output, config);
            checkNotCompleted(output);
        }
        int epochs = config.schedule().epochs();
        int checkpointed = resumed == null ? 0 : resumed.epochsDone();
        try {
            MultiLayerNetwork net = resumed == null ? Models.build(config, train.total())
                    : resumed.network();
            if (resumed != null) {
                checkResumedData(resumed, net, train.total());
                log.info("Resuming {} after epoch {}/{}", Provenance.redact(output.uri()), checkpointed, epochs);
            }
            SparkTrainer trainer = new SparkTrainer(sc, config, net, train, data.normalization());
            if (watch.progress()) {
                trainer.listen(new EpochProgress(epochs, train.total(), Clock.systemUTC(), log::info));
            }
            warnIfShortOfTarget(trainer, epochs);
            MetricsWriter metrics = MetricsWriter.resumed(output,
                    resumed == null ? List.of() : resumed.metrics());
            double before = metrics.epochs().isEmpty() ? 0
                    : metrics.epochs().get(metrics.epochs().size() - 1).elapsedSeconds();
            int first = checkpointed;
            Integer prunedAt = null;
            if (resumed != null && checkpointed < epochs && stopAfter.test(metrics.epochs().get(checkpointed - 1))) {
                // asked again: the run may have been stopped after this checkpoint but before its run.json was written
                prunedAt = checkpointed;
                log.info("Stopped early after epoch {}/{} ({})", prunedAt, epochs, RunFiles.STATUS_PRUNED);
            }
            long t0 = System.nanoTime();
            for (int epoch = first; prunedAt == null && epoch < epochs; epoch++) {
                long e0 = System.nanoTime();
                EpochFit fit = trainer.fitEpoch(epoch);
                sc.setJobDescription("sparsevd: epoch " + (epoch + 1) + "/" + epochs + " evaluation");
                checkFinite(epoch + 1, fit.dataLoss(), trainer.network());
                List<LayerSparsity> layers = SparsityReport.of(trainer.network());
                Double valAccuracy = cached.validation() == null ? null
                        : MaskedEvaluator.evaluate(sc, trainer.network(), cached.validation().rdd(),
                                data.normalization(), null).accuracy(0);
                EvalCounts tested = MaskedEvaluator.evaluate(sc, trainer.network(), cached.test().rdd(),
                        data.normalization(), null);
                sc.setJobDescription(null);
                long end = System.nanoTime(); // one instant for both times, as after the checkpoint write below
                double now = before + (end - t0) / 1e9;
                EpochMetrics m = metrics(epoch, (end - e0) / 1e9, now, trainer, fit, valAccuracy, tested, layers);
                List<EpochMetrics> done = new ArrayList<>(metrics.epochs());
                done.add(m);
                new Checkpoint(epoch + 1, now, done, trainer.network()).writeTo(output, config, train.total());
                checkpointed = epoch + 1;
                // The epoch's times with its checkpoint written (the checkpoint itself holds them without its write)
                long written = System.nanoTime();
                m = m.withTimes((written - e0) / 1e9, before + (written - t0) / 1e9);
                now = m.elapsedSeconds();
                metrics.add(m);
                log.info(m.summary(epochs, (now - before) / (epoch + 1 - first) * (epochs - epoch - 1)));
                List<String> emptied = layers.stream().filter(l -> l.nonzero() == 0).map(LayerSparsity::name).toList();
                if (!emptied.isEmpty()) {
                    log.warn("Epoch {}: every weight of {} is pruned (log alpha >= {}): the network's output no longer "
                            + "depends on its input. A KL weight that is on from the start does this to a network "
                            + "that has not learned yet: warm up with --kl-zero-epochs/--kl-ramp-epochs or start "
                            + "--init-from a trained plain network", epoch + 1, emptied, config.model().threshold());
                }
                if (watch.report()) {
                    // The page reloads about once an epoch.
                    int refresh = (int) Math.min(MAX_REFRESH_SECONDS, Math.max(MIN_REFRESH_SECONDS,
                            Math.ceil(m.seconds())));
                    report(output, metrics.epochs(), Json.mapper().valueToTree(
                            runInfo(sc, trainer, data, started, resumedAfter(resumed))), trainer.network(), refresh);
                }
                afterEpoch.accept(m);
                if (epoch + 1 < epochs && stopAfter.test(m)) {
                    prunedAt = epoch + 1;
                    log.info("Stopped early after epoch {}/{} ({})", prunedAt, epochs, RunFiles.STATUS_PRUNED);
                    break;
                }
            }
            output.write(RunFiles.MODEL, out -> ModelSerializer.writeModel(trainer.network(), out, true));
            Map<String, Object> record = runRecord(runInfo(sc, trainer, data, started, resumedAfter(resumed)),
                    trainer, metrics.epochs(), prunedAt);
            output.writeText(RunFiles.RUN, Json.pretty(record));
            if (watch.report()) {
                report(output, metrics.epochs(), Json.mapper().valueToTree(record), trainer.network(), 0);
            }
            log.info("Wrote {} epochs of metrics, {} and {} to {}", metrics.epochs().size(), RunFiles.MODEL,
                    RunFiles.RUN,
                    Provenance.redact(output.uri()));
            return metrics.epochs();
        } catch (TrainingDivergedException e) {
            keepOrDiscard(output, checkpointed, e);
            throw checkpointed == 0 ? e : new TrainingDivergedException(e.getMessage() + "; the last good checkpoint "
                    + "(epoch " + checkpointed + ") is kept in " + Provenance.redact(output.uri()) + "/"
                    + RunFiles.CHECKPOINT);
        } catch (RuntimeException | Error e) {
            keepOrDiscard(output, checkpointed, e);
            throw e;
        }
    }

    /**
     * One warning line when the run ends before its KL weight reaches the target, naming the weight its last epoch
     * trains with: such a run is not a run "at KL weight W".
     */
    private static void warnIfShortOfTarget(SparkTrainer trainer, int epochs) {
        KlWeightSchedule s = trainer.klSchedule();
        double last = s.weight(epochs - 1);
        if (last < s.target()) {
            String target = SweepConfig.plain(s.target());
            log.warn(String.format(Locale.ROOT, "The KL weight reaches only %.3f of its target %s, in the run's "
                            + "last epoch, %d: it is 0 in epochs 1-%d and reaches %s in epoch %d (--kl-zero-epochs %d, "
                            + "--kl-ramp-epochs %d); train %d epochs or shorten the warm-up for a run at %s", last,
                    target, epochs, s.epochsAtZero(), target, s.epochsToTarget(), s.zeroEpochs(), s.rampEpochs(),
                    s.epochsToTarget(), target));
        }
    }

    /**
     * After a failure: a run with a checkpoint keeps its output (for {@code --resume} or inspection), one without
     * removes it.
     */
    private static void keepOrDiscard(RunOutput output, int checkpointed, Throwable failure) {
        if (checkpointed == 0) {
            output.discard();
        } else {
            log.warn("The run failed after epoch {} ({}); {} keeps the checkpoint of epoch {}: continue it with "
                    + "the same options and --resume", checkpointed, SourceNames.redact(failure.toString()),
                    Provenance.redact(output.uri()), checkpointed);
        }
    }

    /** Fails if the run in {@code output} already completed (its run.json is written last). */
    private void checkNotCompleted(RunOutput output) {
        if (output.exists(RunFiles.RUN)) {
            throw new JobConfigException("--resume: " + Provenance.redact(output.uri()) + " is a completed run of "
                    + config.schedule().epochs() + " epochs (it has " + RunFiles.RUN + "): nothing to resume");
        }
    }

    private void checkResumedData(Checkpoint resumed, MultiLayerNetwork net, long trainExamples) {
        long saved = resumed.metrics().get(0).trainExamples();
        if (saved != trainExamples) {
            throw new JobConfigException("--resume: the checkpoint was trained on " + saved
                    + " examples, but --data now has " + trainExamples);
        }
        long expected = Models.build(config, trainExamples).numParams();
        if (net.numParams() != expected) {
            throw new JobConfigException("--resume: the checkpoint's network has " + net.numParams()
                    + " parameters, --model " + config.model().name() + " has " + expected);
        }
    }

    /** Logs the address of the Spark UI of {@code sc}, if it has one (spark.ui.enabled). */
    public static void logSparkUi(JavaSparkContext sc) {
        if (sc.sc().uiWebUrl().isDefined()) {
            log.info("Spark UI: {}", sc.sc().uiWebUrl().get());
        }
    }

    private static EpochMetrics metrics(int epoch, double seconds, double elapsed, SparkTrainer trainer,
                                        EpochFit fit, Double valAccuracy, EvalCounts tested,
                                        List<LayerSparsity> layers) {
        List<LayerMetrics> lm = new ArrayList<>();
        double kl = 0;
        Map<String, LogAlphaHistogram> histograms = LogAlphaHistogram.of(trainer.network());
        for (LayerSparsity l : layers) {
            kl += l.kl();
            lm.add(LayerMetrics.of(l, histograms.get(l.name())));
        }
        return new EpochMetrics(epoch + 1, seconds, elapsed, fit.klWeight(), trainer.learningRate(epoch),
                fit.dataLoss(), kl, fit.objective(), trainer.trainSetSize(), valAccuracy, tested.accuracy(0),
                SparsityReport.compression(layers), lm, fit.trainAccuracy(), tested.loss(0));
    }

    private static void checkFinite(int epoch, double dataLoss, MultiLayerNetwork net) {
        for (int i = 0; i < net.getnLayers(); i++) {
            var params = net.getLayer(i).params();
            if (params != null && !params.isEmpty() && !Double.isFinite(params.sumNumber().doubleValue())) {
                String name = net.getLayer(i).conf().getLayer().getLayerName();
                throw new TrainingDivergedException("epoch " + epoch + ": training diverged: layer "
                        + (name == null ? "layer" + i : name) + " has NaN or infinite parameters (data loss "
                        + dataLoss + "); try a lower --lr");
            }
        }
        if (!Double.isFinite(dataLoss)) {
            throw new TrainingDivergedException("epoch " + epoch + ": training diverged: data loss is " + dataLoss
                    + "; try a lower --lr");
        }
    }

    private static int resumedAfter(Checkpoint resumed) {
        return resumed == null ? 0 : resumed.epochsDone();
    }

    /**
     * Rewrites the live report; a report that cannot be written is logged and the run goes on (it can be made
     * later with {@code sparsevd report}).
     */
    private static void report(RunOutput output, List<EpochMetrics> epochs, JsonNode info, MultiLayerNetwork net,
                               int refreshSeconds) {
        long t0 = System.nanoTime();
        try {
            var index = RunReport.writeLive(output, epochs, info, net, refreshSeconds);
            log.info(String.format(java.util.Locale.ROOT, "Report %s (%.2f s)", Provenance.redact(index.toUri()),
                    (System.nanoTime() - t0) / 1e9));
        } catch (RuntimeException e) {
            log.warn("The report could not be written (the run goes on; 'sparsevd report' can write it later): {}",
                    e.getMessage());
        }
    }

    /** What run.json says while the run trains: the configuration, data, Spark and versions. */
    private Map<String, Object> runInfo(JavaSparkContext sc, SparkTrainer trainer, TrainingData data,
                                        Instant started, int resumedAfter) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", "train");
        run.put("status", RunFiles.STATUS_TRAINING);
        run.put("config", config);
        run.put("seed", config.seed());
        run.put("train_examples", trainer.trainSetSize());
        run.put("validation_examples", data.validation() == null ? 0 : data.validation().count());
        run.put("test_examples", data.test().count());
        run.put(ModelInput.RUN_KEY, ModelInput.record(data.train(), data.normalization()));
        run.put("spark_master", sc.master());
        run.put("spark_application_id", sc.sc().applicationId());
        run.put("versions", Provenance.versions(sc.version()));
        run.put("resumed_after_epoch", resumedAfter);
        run.put("started_at", started.toString());
        return run;
    }

    /** The record of the finished run: {@code info} and how it ended ({@code prunedAt}: null unless pruned). */
    private static Map<String, Object> runRecord(Map<String, Object> info, SparkTrainer trainer,
                                                 List<EpochMetrics> epochs, Integer prunedAt) {
        Map<String, Object> run = new LinkedHashMap<>(info);
        run.put("status", prunedAt == null ? RunFiles.STATUS_COMPLETED : RunFiles.STATUS_PRUNED);
        if (prunedAt != null) {
            run.put("pruned_at_epoch", prunedAt);
        }
        run.put("examples_per_executor", trainer.examplesPerExecutor());
        run.put("finished_at", Instant.now().toString());
        run.put("final", epochs.get(epochs.size() - 1));
        return run;
    }
}
