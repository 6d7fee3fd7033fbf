package org.sparsevd.core.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.arch.Lenet5;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.seed.NoiseSeed;

/**
 * Sparse VD LeNet-300-100 (dense) and LeNet-5 (convolutional), trained a few steps from the same seed, end with the
 * same parameter and score bits whether the fused kernels run cold or JIT-compiled, interpreted, with 256- or
 * 512-bit vectors (in new JVMs). Compared exactly, not to a tolerance.
 */
class ReproducibleTrainingTest {
    private static final int STEPS = 3;
    private static final int BATCH = 16;

    @Test
    void sameBitsColdWarmInterpretedAndWithEitherVectorWidth() throws Exception {
        assertTrue(DirectFloats.enabled(), "the fused kernels run in this JVM");
        String cold = digest();
        warmUpKernels();
        String warm = digest();
        assertEquals(cold, warm, "kernels cold (first calls) and JIT-compiled");
        // kernels never compiled, in 512-bit lanes (the Java fallback of the Vector API on a CPU without AVX-512)
        assertEquals(warm, childDigest("-D" + Lanes.SPECIES_PROPERTY + "=512",
                "-XX:CompileCommand=quiet", "-XX:CompileCommand=exclude,org.sparsevd.core.*::*"), "512-bit, interpreted");
        assertEquals(warm, childDigest("-D" + Lanes.SPECIES_PROPERTY + "=256"), "256-bit, new JVM");
    }

    /** SHA-256 over the parameter bits and the score bits after every step, of both networks. */
    static String digest() throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ArchitectureSettings s = ArchitectureSettings.defaults(1000).withLearningRate(0.01);
        train(Lenet300.of(s, Variant.SPARSEVD, 0), md);
        train(Lenet5.of(s, Variant.SPARSEVD, 0), md);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void train(MultiLayerConfiguration conf, MessageDigest md) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random r = new Random(17);
        for (int step = 0; step < STEPS; step++) {
            float[] x = new float[BATCH * Lenet300.INPUTS];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, Lenet300.OUTPUTS);
            for (int i = 0; i < BATCH; i++) {
                labels.putScalar(i, r.nextInt(Lenet300.OUTPUTS), 1f);
            }
            DataSet batch = new DataSet(Nd4j.create(x, new long[]{BATCH, Lenet300.INPUTS}), labels);
            NoiseSeed.apply(5, 0, batch);
            net.fit(batch);
            md.update(Long.toHexString(Double.doubleToRawLongBits(net.score())).getBytes(StandardCharsets.US_ASCII));
        }
        for (float v : net.params().toFloatVector()) {
            int b = Float.floatToRawIntBits(v);
            md.update(new byte[]{(byte) b, (byte) (b >> 8), (byte) (b >> 16), (byte) (b >> 24)});
        }
    }

    /** Runs the kernels (via a training run) until C2 has compiled them. */
    private static void warmUpKernels() throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ArchitectureSettings s = ArchitectureSettings.defaults(1000);
        MultiLayerNetwork net = new MultiLayerNetwork(Lenet300.of(s, Variant.SPARSEVD, 0));
        net.init();
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, BATCH, Lenet300.INPUTS),
                Nd4j.eye(Lenet300.OUTPUTS).getRows(new int[BATCH]).castTo(DataType.FLOAT));
        for (int i = 0; i < 150; i++) {
            net.fit(batch);
        }
        md.update((byte) 0);
    }

    /** {@link #digest()} in a new JVM with this one's options plus the given ones. */
    private static String childDigest(String... extraOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx2g");
        cmd.addAll(List.of(extraOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Child.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("digest "), out);
        return last.substring("digest ".length());
    }

    /** The child JVM's entry point: prints {@code digest <hex>} as its last line. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("digest " + digest());
        }
    }
}
