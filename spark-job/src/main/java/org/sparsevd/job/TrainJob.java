package org.sparsevd.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.sparsity.LayerSparsity;
import org.sparsevd.core.sparsity.SparsityReport;
import org.sparsevd.job.config.ClusterOptions;
import org.sparsevd.job.config.TrainConfig;
import org.sparsevd.job.eval.MaskedEvaluator;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.MetricsWriter;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.RunOutput;
import org.sparsevd.job.train.CachedBlocks;
import org.sparsevd.job.train.Models;
import org.sparsevd.job.train.SparkTrainer;
import org.sparsevd.job.train.TrainingData;
import org.sparsevd.job.train.TrainingDivergedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code train} run end to end: check the output location, read and validate the data, train on Spark with
 * per-epoch driver metrics, and write {@code metrics.jsonl}/{@code metrics.csv}, {@code model.zip} and
 * {@code run.json}. Nothing is created before the inputs are known good, and a run that fails removes its
 * output directory.
 */
public final class TrainJob {
    private static final Logger log = LoggerFactory.getLogger(TrainJob.class);

    public static final String MODEL_FILE = "model.zip";
    public static final String RUN_FILE = "run.json";

    private final TrainConfig config;

    public TrainJob(TrainConfig config) {
        this.config = config;
    }

    /** Runs the job in a Spark context of its own (started here, stopped at the end). */
    public List<EpochMetrics> run() {
        NativeThreads.apply();
        Configuration hadoopConf = new Configuration();
        RunOutput.checkUsable(config.output(), hadoopConf);
        TrainingData data = TrainingData.load(config.data(), config.seed(), hadoopConf);
        Models.checkInput(config.model().name(), data.train());
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf(config))) {
            return run(sc, data, sc.hadoopConfiguration());
        }
    }

    /** Runs the job in an existing Spark context on already loaded data, cached here for this run only. */
    public List<EpochMetrics> run(JavaSparkContext sc, TrainingData data, Configuration hadoopConf) {
        int workers = config.cluster().workers();
        try (CachedBlocks train = new CachedBlocks(sc, data.train(), workers);
             CachedBlocks test = new CachedBlocks(sc, data.test(), Math.min(workers, data.test().count()))) {
            return run(sc, data, train, test, hadoopConf);
        }
    }

    /**
     * Runs the job on data already cached on the executors (several runs can share it), {@code train} in one block
     * per worker of this job's configuration.
     */
    public List<EpochMetrics> run(JavaSparkContext sc, TrainingData data, CachedBlocks train, CachedBlocks test,
                                  Configuration hadoopConf) {
        Instant started = Instant.now();
        RunOutput output = RunOutput.create(config.output(), hadoopConf);
        try {
            MultiLayerNetwork net = Models.build(config.model(), config.seed(), train.total());
            SparkTrainer trainer = new SparkTrainer(sc, config, net, train, null);
            MetricsWriter metrics = new MetricsWriter(output);
            int epochs = config.schedule().epochs();
            long t0 = System.nanoTime();
            for (int epoch = 0; epoch < epochs; epoch++) {
                long e0 = System.nanoTime();
                double dataLoss = trainer.fitEpoch(epoch);
                sc.setJobDescription("sparsevd: epoch " + (epoch + 1) + "/" + epochs + " evaluation");
                checkFinite(epoch + 1, dataLoss, trainer.network());
                List<LayerSparsity> layers = SparsityReport.of(trainer.network());
                double accuracy = MaskedEvaluator.evaluate(sc, trainer.network(), test.rdd(), null, null)
                        .accuracy(0);
                sc.setJobDescription(null);
                double now = (System.nanoTime() - t0) / 1e9;
                EpochMetrics m = metrics(epoch, (System.nanoTime() - e0) / 1e9, now, trainer, dataLoss, accuracy,
                        layers);
                metrics.add(m);
                log.info(m.summary(epochs, now / (epoch + 1) * (epochs - epoch - 1)));
            }
            output.write(MODEL_FILE, out -> ModelSerializer.writeModel(trainer.network(), out, true));
            output.writeText(RUN_FILE, runRecord(sc, trainer, data, started, metrics.epochs()));
            log.info("Wrote {} epochs of metrics, {} and {} to {}", epochs, MODEL_FILE, RUN_FILE,
                    Provenance.redact(output.uri()));
            return metrics.epochs();
        } catch (RuntimeException | Error e) {
            output.discard();
            throw e;
        }
    }

    static SparkConf sparkConf(TrainConfig config) {
        return sparkConf("sparsevd train " + config.model().name(), config.cluster());
    }

    /** A Spark configuration named {@code appName} on the master of {@code cluster} (see {@link ClusterOptions}). */
    public static SparkConf sparkConf(String appName, ClusterOptions cluster) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (cluster.master() != null) {
            conf.setMaster(cluster.master());
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + cluster.workers() + "]");
        }
        return conf;
    }

    private static EpochMetrics metrics(int epoch, double seconds, double elapsed, SparkTrainer trainer,
                                        double dataLoss, double accuracy, List<LayerSparsity> layers) {
        List<LayerMetrics> lm = new ArrayList<>();
        double kl = 0;
        for (LayerSparsity l : layers) {
            kl += l.kl();
            lm.add(LayerMetrics.of(l));
        }
        double klWeight = trainer.klWeight(epoch);
        long n = trainer.trainSetSize();
        return new EpochMetrics(epoch + 1, seconds, elapsed, klWeight, trainer.learningRate(epoch), dataLoss, kl,
                dataLoss + klWeight * kl / n, n, accuracy, SparsityReport.compression(layers), lm);
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

    private String runRecord(JavaSparkContext sc, SparkTrainer trainer, TrainingData data, Instant started,
                             List<EpochMetrics> epochs) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", "train");
        run.put("status", "completed");
        run.put("config", config);
        run.put("seed", config.seed());
        run.put("train_examples", trainer.trainSetSize());
        run.put("test_examples", data.test().count());
        run.put("spark_master", sc.master());
        run.put("spark_application_id", sc.sc().applicationId());
        run.put("versions", Provenance.versions(sc.version()));
        run.put("started_at", started.toString());
        run.put("finished_at", Instant.now().toString());
        run.put("final", epochs.get(epochs.size() - 1));
        try {
            return MetricsWriter.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(run) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("run record is not serializable", e);
        }
    }
}
