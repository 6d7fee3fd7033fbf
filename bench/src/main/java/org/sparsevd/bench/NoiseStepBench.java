package org.sparsevd.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.layers.impl.NoiseStepKernel;
import org.sparsevd.core.layers.impl.SparseVdLayerImpl;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.simd.NormalNoise;

/**
 * The noise step of the Sparse VD layers' training forward pass (ε ~ N(0, 1) drawn, z ← μ + sqrt(σ² + 1e-8)∘ε and
 * ε/σ for backprop) per training step of LeNet-300-100 and LeNet-5, at every Sparse VD layer's output shape, in the
 * layer's three ways: ε from ND4J's Gaussian generator then ND4J's five element-wise ops (other backends),
 * {@link NormalNoise}'s draw one element at a time then the same ops (the CPU backend without the Vector API), and
 * the fused {@link NoiseStepKernel}, which draws the same ε in its one pass (the default).
 * Milliseconds of this thread's CPU time per step, best of 5 timings of 50 steps, after a pass over every model
 * and way that is not counted.
 *
 * <p>Usage: {@code NoiseStepBench [batch=50]} (the per-worker minibatch of {@code train}'s defaults); run with
 * {@code OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1}.
 */
public final class NoiseStepBench {
    private static final int STEPS = 50;
    private static final int REPEATS = 5;

    private NoiseStepBench() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        NativeThreads.apply();
        Table t = new Table("model", "Sparse VD layer outputs (floats per step)",
                "ND4J's Gaussian + ND4J ops (ms/step)", "NormalNoise scalar + ND4J ops (ms/step)",
                "fused draw and step (ms/step)", "fused: ns per float");
        for (String model : List.of("lenet300", "lenet5")) {       // warm-up: the JIT compiles the vector loops
            for (Way way : Way.values()) {
                bestMs(outputShapes(model, batch), way);
            }
        }
        for (String model : List.of("lenet300", "lenet5")) {
            List<long[]> shapes = outputShapes(model, batch);
            long floats = shapes.stream().mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum();
            double nd4j = bestMs(shapes, Way.ND4J);
            double scalar = bestMs(shapes, Way.SCALAR);
            double fused = bestMs(shapes, Way.FUSED);
            t.add(model, floats, ThroughputBench.fmt(nd4j, 3), ThroughputBench.fmt(scalar, 3),
                    ThroughputBench.fmt(fused, 3), ThroughputBench.fmt(fused * 1e6 / floats, 2));
        }
        System.out.println();
        System.out.println("Noise step per training step, batch " + batch + ", " + Nd4j.getBackend().getClass()
                .getSimpleName() + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + "; ms of CPU time, best of "
                + REPEATS + " x " + STEPS + " steps");
        System.out.println(t.render());
    }

    /** The output shapes of the Sparse VD layers of {@code model}'s network at {@code batch}. */
    private static List<long[]> outputShapes(String model, int batch) {
        MultiLayerNetwork net = ThroughputBench.network(model, ArchitectureSettings.defaults(60_000), Variant.SPARSEVD);
        List<INDArray> acts = net.feedForward(Nd4j.rand(DataType.FLOAT, batch, 784), false);
        List<long[]> shapes = new java.util.ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayerWiseConfigurations().getConf(i).getLayer() instanceof SparseVdLayer) {
                shapes.add(acts.get(i + 1).shape());
            }
        }
        return shapes;
    }

    /** The layer's ways of drawing ε and applying it. */
    private enum Way { ND4J, SCALAR, FUSED }

    /**
     * Best of {@link #REPEATS} timings of {@link #STEPS} steps' noise steps done {@code way}, in ms of CPU time
     * per step. Each call works in place on the previous one's output, as a layer's next step would on new arrays:
     * ε is drawn anew, z and σ² drift, and nothing becomes subnormal.
     */
    private static double bestMs(List<long[]> shapes, Way way) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int layers = shapes.size();
        INDArray[] z = new INDArray[layers];
        INDArray[] v = new INDArray[layers];
        INDArray[] noise = new INDArray[layers];
        INDArray[] std = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            char order = shapes.get(l).length == 2 ? 'f' : 'c';
            z[l] = Nd4j.randn(DataType.FLOAT, shapes.get(l)).dup(order);
            v[l] = Nd4j.rand(DataType.FLOAT, shapes.get(l)).dup(order);
            noise[l] = z[l].ulike();
            std[l] = z[l].ulike();
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r <= REPEATS; r++) {       // the first timing warms up and is not counted
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int s = 0; s < STEPS; s++) {
                for (int l = 0; l < layers; l++) {
                    long seed = Nd4j.getRandom().nextLong();
                    switch (way) {
                        case FUSED -> NoiseStepKernel.apply(z[l], v[l], noise[l],
                                (float) SparseVdLayerImpl.VARIANCE_EPS, seed);
                        case SCALAR -> {
                            NormalNoise.fill(noise[l], seed);
                            SparseVdLayerImpl.addNoiseByOps(z[l], v[l], noise[l], std[l]);
                        }
                        case ND4J -> {
                            Nd4j.getExecutioner().exec(new GaussianDistribution(noise[l], 0.0, 1.0),
                                    Nd4j.getRandom());
                            SparseVdLayerImpl.addNoiseByOps(z[l], v[l], noise[l], std[l]);
                        }
                    }
                }
            }
            double ms = (cpu.getCurrentThreadCpuTime() - t0) / 1e6 / STEPS;
            if (r > 0) {
                best = Math.min(best, ms);
            }
        }
        return best;
    }
}
