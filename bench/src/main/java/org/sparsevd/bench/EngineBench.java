package org.sparsevd.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.engine.InputSpec;
import org.sparsevd.core.engine.SparseNetwork;
import org.sparsevd.job.config.DataSplit;
import org.sparsevd.job.serve.ScoringData;

/**
 * Inference speed on one thread in one JVM: DL4J's masked network (the run's model.zip, {@code output()}), the sparse
 * engine on the exported file, and the engine with a dense layout of the same weights; batch 1 and 100, the test
 * images; the three are measured in turns, {@code rounds} times, and the best round of each is reported.
 *
 * <pre>bench/run.sh EngineBench RUN_DIR MODEL_FILE DATA_DIR [examples] [rounds]</pre>
 */
public final class EngineBench {
    private EngineBench() {
    }

    private interface Runner {
        void run(int batchIndex);
    }

    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        SparseNetwork sparse = SparseNetwork.load(Path.of(args[1]));
        URI data = Path.of(args[2]).toUri();
        int examples = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        MultiLayerNetwork dl4j = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), false);
        SparseNetwork dense = sparse.withDenseLayout();
        InputSpec input = sparse.input();
        ScoringData test = ScoringData.labelled(data, input.shape(), DataSplit.TEST, new Configuration());
        int n = Math.min(examples, test.count());
        float[][] features = new float[n][];
        for (int i = 0; i < n; i++) {
            features[i] = input.features(test.pixels(), i * input.shape().size());
        }
        Table table = new Table("batch", "DL4J masked (ex/s)", "engine sparse (ex/s)", "engine dense layout (ex/s)",
                "sparse / DL4J", "sparse / dense layout");
        for (int batch : new int[] {1, 100}) {
            List<float[][]> batches = new ArrayList<>();
            List<INDArray> arrays = new ArrayList<>();
            for (int from = 0; from + batch <= n; from += batch) {
                float[][] b = Arrays.copyOfRange(features, from, from + batch);
                batches.add(b);
                arrays.add(Nd4j.create(b));
            }
            Runner[] runners = {i -> dl4j.output(arrays.get(i)), i -> sparse.predict(batches.get(i)),
                    i -> dense.predict(batches.get(i))};
            double[] best = new double[runners.length];
            for (int round = 0; round <= rounds; round++) {      // round 0 warms up
                for (int r = 0; r < runners.length; r++) {
                    long start = System.nanoTime();
                    for (int i = 0; i < batches.size(); i++) {
                        runners[r].run(i);
                    }
                    double perSecond = batches.size() * (double) batch / ((System.nanoTime() - start) / 1e9);
                    if (round > 0) {
                        best[r] = Math.max(best[r], perSecond);
                    }
                }
            }
            table.add(batch, fmt(best[0]), fmt(best[1]), fmt(best[2]),
                    String.format(Locale.ROOT, "%.1fx", best[1] / best[0]),
                    String.format(Locale.ROOT, "%.1fx", best[1] / best[2]));
        }
        System.out.printf(Locale.ROOT, "%s: %d test images, best of %d rounds, one thread (OMP_NUM_THREADS=%s)%n",
                args[1], n, rounds, System.getenv("OMP_NUM_THREADS"));
        System.out.print(table.render());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
