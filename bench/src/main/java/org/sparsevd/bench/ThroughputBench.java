package org.sparsevd.bench;

import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.arch.Lenet5;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.seed.NoiseSeed;
import org.sparsevd.datasets.IdxDataset;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.Minibatches;
import org.sparsevd.datasets.TrainingSubset;

/**
 * Single-JVM training throughput of Sparse VD LeNet-300-100 or LeNet-5 (as {@code train} builds it: sparsevd's
 * FusedAdam) next to the plain DL4J network of the same shape ({@code --variant plain}) with DL4J's Adam, measured
 * in the same run on the same minibatches (batch 100, real Fashion-MNIST); also Sparse VD with KL weight 0, which
 * skips the KL term's gradient, to show its share of the step, and the plain network with FusedAdam, to show what
 * the updater alone gains.
 *
 * <p>Usage: {@code ThroughputBench DATA_DIR [examples=20000] [repeats=3] [model=lenet300|lenet5]}. Each network
 * first fits one warm-up pass; then each timed pass fits all examples once; the best pass is reported (least
 * disturbed by the machine).
 */
public final class ThroughputBench {
    public static void main(String[] args) {
        String dir = args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
        int examples = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String model = args.length > 3 ? args[3] : "lenet300";
        NativeThreads.apply();
        LabeledImages train = trainingImages(dir, examples);
        List<DataSet> batches = Minibatches.of(train, 100, null);
        ArchitectureSettings settings = ArchitectureSettings.defaults(train.count());

        MultiLayerNetwork sparse = network(model, settings, Variant.SPARSEVD);
        MultiLayerNetwork noKl = network(model, settings.withKlWeight(0), Variant.SPARSEVD);
        MultiLayerNetwork plain = network(model, settings.withUpdater(new Adam(ArchitectureSettings.DEFAULT_LEARNING_RATE)),
                Variant.PLAIN);
        MultiLayerNetwork plainFused = network(model, settings, Variant.PLAIN);

        double sparseRate = bestRate(sparse, batches, repeats, true);
        double noKlRate = bestRate(noKl, batches, repeats, true);
        double plainRate = bestRate(plain, batches, repeats, false);
        double plainFusedRate = bestRate(plainFused, batches, repeats, false);

        Table t = new Table("network", "examples/s", "ms/step (batch 100)", "step time vs plain");
        t.add("SparseVD " + model, fmt(sparseRate, 0), fmt(100_000 / sparseRate, 2), fmt(plainRate / sparseRate, 2) + "x");
        t.add("SparseVD " + model + ", KL weight 0 (no KL term)", fmt(noKlRate, 0), fmt(100_000 / noKlRate, 2),
                fmt(plainRate / noKlRate, 2) + "x");
        t.add("plain DL4J " + model + " (DL4J's Adam)", fmt(plainRate, 0), fmt(100_000 / plainRate, 2), "1.00x");
        t.add("plain DL4J " + model + " with sparsevd's FusedAdam", fmt(plainFusedRate, 0),
                fmt(100_000 / plainFusedRate, 2), fmt(plainRate / plainFusedRate, 2) + "x");
        System.out.println();
        System.out.println("Single-JVM training throughput, " + train.count() + " Fashion-MNIST examples, best of "
                + repeats + " passes; OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", BLAS threads "
                + Nd4j.factory().blas().getMaxThreads() + ", "
                + Nd4j.getBackend().getClass().getSimpleName() + ", blas " + Nd4j.factory().blas().getBlasVendor());
        System.out.println(t.render());
    }

    /** A seeded random subset of {@code examples} of the Fashion-MNIST training images in IDX directory {@code dir}. */
    static LabeledImages trainingImages(String dir, int examples) {
        return TrainingSubset.limit(IdxDataset.loadDirectory(new java.io.File(dir).toURI(), null,
                new org.apache.hadoop.conf.Configuration()).train(), examples, 1);
    }

    /** {@code model}'s network (lenet300 or lenet5) in variant {@code v}, initialized. */
    static MultiLayerNetwork network(String model, ArchitectureSettings s, Variant v) {
        MultiLayerNetwork net = new MultiLayerNetwork(switch (model) {
            case "lenet300" -> Lenet300.of(s, v, 0);
            case "lenet5" -> Lenet5.of(s, v, 0);
            default -> throw new IllegalArgumentException("model must be lenet300 or lenet5, got " + model);
        });
        net.init();
        return net;
    }

    private static double bestRate(MultiLayerNetwork net, List<DataSet> batches, int repeats, boolean seedNoise) {
        pass(net, batches, seedNoise);
        double best = 0;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            int n = pass(net, batches, seedNoise);
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            best = Math.max(best, rate);
        }
        return best;
    }

    private static int pass(MultiLayerNetwork net, List<DataSet> batches, boolean seedNoise) {
        int n = 0;
        for (DataSet b : batches) {
            if (seedNoise) {
                NoiseSeed.apply(1, 0, b);
            }
            net.fit(b);
            n += b.numExamples();
        }
        return n;
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
