package org.sparsevd.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.runtime.NativeThreads;

/**
 * The hardware floor of training (issue 15): matrix-product FLOPs per training example of each model, this machine's
 * measured single-thread GEMM rate at each layer's shapes (ND4J's {@code gemm}, i.e. OpenBLAS, float32; per second of
 * CPU time), and the
 * examples/s that {@code cores} such threads would reach if training were nothing but those products.
 *
 * <p>Counting: a multiply-add is 2 FLOPs; a dense layer is {@code nIn·nOut} multiply-adds per example, a convolution
 * {@code outH·outW·nOut·nIn·kH·kW} (im2col: an {@code [batch·outH·outW, nIn·kH·kW] × [nIn·kH·kW, nOut]} product);
 * training does three products of that size per layer (forward, weight gradient, input gradient: DL4J computes the
 * last for the first layer too). A Sparse VD layer does each twice (μ with W and σ² with x², eq. 7 of Molchanov
 * et al. 2017; the W and log σ² gradients; the input gradient through both). Element-wise work (activations, noise,
 * the KL term, Adam, pooling) is not counted, so the floor is an upper bound on examples/s.
 *
 * <p>Usage: {@code FloorBench [batch=50] [cores=2]}: batch is the per-worker minibatch ({@code train}'s default:
 * global 100 over 2 workers). Run with {@code OMP_NUM_THREADS=1 SPARSEVD_BLAS_THREADS=1}.
 */
public final class FloorBench {
    private FloorBench() {
    }

    /** One matrix product of training: {@code [m, k] × [k, n]}, with how many such products a step does per layer. */
    private record Gemm(String layer, long m, long k, long n) {
        long macsPerExample(long batch) {
            return m * k * n / batch;
        }
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int cores = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        NativeThreads.apply();
        Table gemmTable = new Table("model", "layer", "GEMM shape [m,k]x[k,n]",
                "GFLOP per CPU second (1 thread, best of 3)");
        Table floor = new Table("model", "variant", "MFLOP / training example", "floor, 1 thread (examples/s)",
                "floor, " + cores + " cores (examples/s)");
        double best = 0;
        for (String model : List.of("lenet300", "lenet5")) {
            List<Gemm> gemms = gemms(model, batch);
            double flops = 0;
            double seconds = 0;
            for (Gemm g : gemms) {
                double rate = gflops(g);
                best = Math.max(best, rate);
                gemmTable.add(model, g.layer(), "[" + g.m() + "," + g.k() + "]x[" + g.k() + "," + g.n() + "]",
                        ThroughputBench.fmt(rate, 1));
                double perExample = 2.0 * g.macsPerExample(batch) * 3;
                flops += perExample;
                seconds += perExample / (rate * 1e9);
            }
            for (Variant v : List.of(Variant.SPARSEVD, Variant.PLAIN)) {
                double factor = v == Variant.SPARSEVD ? 2 : 1;
                floor.add(model, v.name().toLowerCase(java.util.Locale.ROOT),
                        ThroughputBench.fmt(factor * flops / 1e6, 2), ThroughputBench.fmt(1 / (factor * seconds), 0),
                        ThroughputBench.fmt(cores / (factor * seconds), 0));
            }
        }
        System.out.println();
        System.out.println("GEMM rate at the layers' forward shapes (per-worker batch " + batch + "), "
                + Nd4j.getBackend().getClass().getSimpleName() + ", blas " + Nd4j.factory().blas().getBlasVendor()
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", BLAS threads "
                + Nd4j.factory().blas().getMaxThreads() + "; best: " + ThroughputBench.fmt(best, 1) + " GFLOP/s");
        System.out.println(gemmTable.render());
        System.out.println("Floor: matrix products only, each layer at its measured rate");
        System.out.println(floor.render());
    }

    /** The forward products of {@code model}'s plain network (the Sparse VD one has the same shapes, twice). */
    private static List<Gemm> gemms(String model, int batch) {
        MultiLayerNetwork net = ThroughputBench.network(model, ArchitectureSettings.defaults(60_000), Variant.PLAIN);
        List<INDArray> acts = net.feedForward(Nd4j.rand(DataType.FLOAT, batch, 784), false);
        List<Gemm> out = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer l = net.getLayerWiseConfigurations().getConf(i).getLayer();
            if (l instanceof ConvolutionLayer c) {
                long[] shape = acts.get(i + 1).shape();
                int[] k = c.getKernelSize();
                out.add(new Gemm(l.getLayerName(), batch * shape[2] * shape[3], c.getNIn() * k[0] * k[1], c.getNOut()));
            } else if (l instanceof FeedForwardLayer f) {
                out.add(new Gemm(l.getLayerName(), batch, f.getNIn(), f.getNOut()));
            }
        }
        return out;
    }

    /**
     * Best of 3 timings of 15 GFLOP of repeated {@code c = a · b} at g's shape, in GFLOP per second of this thread's
     * CPU time (with one OpenMP and one BLAS thread the product runs on the calling thread), so that other processes
     * on a shared machine do not count; only cache and memory-bandwidth contention do.
     */
    private static double gflops(Gemm g) {
        INDArray a = Nd4j.rand(DataType.FLOAT, g.m(), g.k());
        INDArray b = Nd4j.rand(DataType.FLOAT, g.k(), g.n());
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {g.m(), g.n()}, 'f');
        double flopsPerCall = 2.0 * g.m() * g.k() * g.n();
        int calls = (int) Math.max(10, 1.5e10 / flopsPerCall);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < calls / 5; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        double best = 0;
        for (int r = 0; r < 3; r++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            }
            best = Math.max(best, flopsPerCall * calls / (cpu.getCurrentThreadCpuTime() - t0));
        }
        return best;
    }
}
