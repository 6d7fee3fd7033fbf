package org.sparsevd.job.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.sparsevd.core.engine.InputSpec;
import org.sparsevd.core.engine.ModelFile;
import org.sparsevd.core.engine.SparseNetwork;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.PredictConfig;
import org.sparsevd.job.output.OutputException;
import org.sparsevd.job.output.Provenance;
import org.sparsevd.job.output.RunOutput;

/**
 * {@code sparsevd predict}: batch scoring as a Spark job. The model file's bytes are broadcast once; the images are cut
 * into one chunk per partition; each partition builds the engine from the broadcast and scores its chunk in batches;
 * the driver collects the rows (index, id, predicted label, class probabilities) and writes them as CSV and JSON
 * Lines, each atomically, into a new output directory (removed again if anything fails).
 */
public final class PredictJob {
    public static final String CSV = "predictions.csv";
    public static final String JSONL = "predictions.jsonl";

    private PredictJob() {
    }

    /** One scored example, in both output forms. */
    record Row(String csv, String json) implements Serializable {
    }

    /** A contiguous run of images: the first one's index, their ids and pixels. */
    record Chunk(int start, String[] ids, byte[] pixels) implements Serializable {
    }

    /** Scores and writes; returns the summary line. */
    public static String run(PredictConfig config, Configuration conf) {
        RunOutput.checkUsable(config.output(), conf);
        String where = Provenance.redact(config.model());
        byte[] bytes = readModel(config, conf, where);
        SparseNetwork local = LoadedModel.engine(bytes, where);
        InputSpec input = local.input();
        ScoringData data = ScoringData.isPngDirectory(config.data(), conf)
                ? ScoringData.png(config.data(), input.shape(), conf)
                : ScoringData.labelled(config.data(), input.shape(), config.split(), conf);
        int size = input.shape().size();
        int parts = Math.max(1, Math.min(config.cluster().workers() * 4, data.count()));
        List<Chunk> chunks = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) data.count() * p / parts);
            int to = (int) ((long) data.count() * (p + 1) / parts);
            chunks.add(new Chunk(from, Arrays.copyOfRange(data.ids(), from, to),
                    Arrays.copyOfRange(data.pixels(), from * size, to * size)));
        }
        List<Row> rows;
        double seconds;
        try (JavaSparkContext sc = new JavaSparkContext(config.cluster().sparkConf("sparsevd predict"))) {
            Broadcast<byte[]> model = sc.broadcast(bytes);
            long start = System.nanoTime();
            rows = sc.parallelize(chunks, chunks.size()).mapPartitions(new Score(model, config.cluster().batchSize()))
                    .collect();
            seconds = (System.nanoTime() - start) / 1e9;
            model.destroy();
        }
        StringBuilder csv = new StringBuilder("index,id,label");
        for (int c = 0; c < local.classes(); c++) {
            csv.append(",p").append(c);
        }
        csv.append('\n');
        StringBuilder jsonl = new StringBuilder();
        for (Row r : rows) {
            csv.append(r.csv()).append('\n');
            jsonl.append(r.json()).append('\n');
        }
        RunOutput out = RunOutput.create(config.output(), conf);
        try {
            out.writeText(CSV, csv.toString());
            out.writeText(JSONL, jsonl.toString());
        } catch (RuntimeException e) {
            out.discard();
            throw e;
        }
        return String.format(Locale.ROOT, "Scored %,d examples of %s in %.1f s (%.0f examples/s, %d partitions); wrote "
                + "%s and %s to %s", rows.size(), data.source(), seconds, rows.size() / seconds, parts, CSV, JSONL,
                Provenance.redact(config.output()));
    }

    private static byte[] readModel(PredictConfig config, Configuration conf, String where) {
        byte[] bytes;
        try {
            FileSystem fs = FileSystem.get(config.model(), conf);
            Path file = new Path(config.model());
            if (!fs.exists(file)) {
                throw new JobConfigException("--model " + where + " does not exist");
            }
            if (fs.getFileStatus(file).isDirectory()) {
                throw new JobConfigException("--model " + where + " is a directory; predict runs an exported model "
                        + "file (sparsevd export --input " + where + " --output FILE)");
            }
            try (InputStream in = fs.open(file)) {
                bytes = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new OutputException("--model " + where + " cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length < ModelFile.MAGIC.length
                || !Arrays.equals(Arrays.copyOf(bytes, ModelFile.MAGIC.length), ModelFile.MAGIC)) {
            throw new JobConfigException("--model " + where + " is not an exported sparsevd model file; predict runs "
                    + "those (sparsevd export writes them)");
        }
        return bytes;
    }

    /** Scores one partition's chunks with the engine built from the broadcast model. */
    static final class Score implements FlatMapFunction<Iterator<Chunk>, Row> {
        private final Broadcast<byte[]> model;
        private final int batch;

        Score(Broadcast<byte[]> model, int batch) {
            this.model = model;
            this.batch = batch;
        }

        @Override
        public Iterator<Row> call(Iterator<Chunk> chunks) {
            SparseNetwork net = SparseNetwork.of(ModelFile.read(model.value()));
            InputSpec input = net.input();
            int size = input.shape().size();
            List<Row> out = new ArrayList<>();
            while (chunks.hasNext()) {
                Chunk c = chunks.next();
                for (int from = 0; from < c.ids().length; from += batch) {
                    int n = Math.min(batch, c.ids().length - from);
                    float[][] x = new float[n][];
                    for (int b = 0; b < n; b++) {
                        x[b] = input.features(c.pixels(), (from + b) * size);
                    }
                    float[][] p = net.predict(x);
                    for (int b = 0; b < n; b++) {
                        out.add(row(c.start() + from + b, c.ids()[from + b], p[b]));
                    }
                }
            }
            return out.iterator();
        }

        private static Row row(int index, String id, float[] p) {
            int label = SparseNetwork.argmax(p);
            StringBuilder csv = new StringBuilder().append(index).append(',').append(csvField(id)).append(',')
                    .append(label);
            StringBuilder json = new StringBuilder("{\"index\":").append(index).append(",\"id\":\"")
                    .append(id.replace("\\", "\\\\").replace("\"", "\\\"")).append("\",\"label\":").append(label)
                    .append(",\"probabilities\":[");
            for (int c = 0; c < p.length; c++) {
                csv.append(',').append(p[c]);
                json.append(c == 0 ? "" : ",").append(p[c]);
            }
            return new Row(csv.toString(), json.append("]}").toString());
        }

        private static String csvField(String s) {
            return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
        }
    }
}
