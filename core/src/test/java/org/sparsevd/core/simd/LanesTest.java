package org.sparsevd.core.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link Lanes}' exp and log: accurate against {@code Math}, and the same bits whatever the species and the JIT; the
 * JIT options name what the kernels are made of, and the test JVMs run with them.
 */
class LanesTest {
    private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_512;

    @Test
    void jitOptionsNameThisClassAndEveryKernelLoop() throws Exception {
        assertTrue(Lanes.JIT_OPTIONS.contains("=inline," + Lanes.class.getName() + "::* "), Lanes.JIT_OPTIONS);
        assertTrue(Lanes.JIT_OPTIONS.endsWith("=dontinline,org.sparsevd.core.*::*Stage"), Lanes.JIT_OPTIONS);
        // the vector loops of the training kernels, each a method of its own named *Stage
        assertEquals(Set.of("alphaStage", "sigmoidStage", "klStage", "expStage"),
                stages("org.sparsevd.core.kl.FusedKlKernel"));
        assertEquals(Set.of("adamStage"), stages("org.sparsevd.core.optim.AdamKernel"));
        assertEquals(Set.of("noiseStage"), stages("org.sparsevd.core.layers.impl.NoiseStepKernel"));
    }

    @Test
    void testJvmRunsWithTheJitOptions() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String option : Lanes.JIT_OPTIONS.split(" ")) {
            assertTrue(args.contains(option), option + " missing from " + args);
        }
    }

    private static Set<String> stages(String kernel) throws ClassNotFoundException {
        return Arrays.stream(Class.forName(kernel).getDeclaredMethods()).map(Method::getName)
                .filter(name -> name.endsWith("Stage")).collect(Collectors.toSet());
    }

    @Test
    void expIsWithinOneUlpOfTheExactValueOverTheWholeFloatRange() {
        float[] x = new float[1 << 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = -104f + 193f * i / (x.length - 1);                      // [-104, 89]: subnormal to overflow
        }
        float[] y = apply(Lanes::exp, x, Lanes.FLOATS);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, ulps(y[i], Math.exp(x[i]), x[i]));
        }
        assertTrue(worst <= 1, "worst error " + worst + " ulps");
        float[] special = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -200f, 88.72f, 88.73f, 0f,
                -0f, -87.34f, -103.9f, 1f, -1f, 10f, -10f, 50f, -50f}; // 16: a whole number of vectors
        float[] got = apply(Lanes::exp, special, Lanes.FLOATS);
        assertTrue(Float.isNaN(got[0]));
        assertEquals(0f, got[1]);
        assertEquals(Float.POSITIVE_INFINITY, got[2]);
        assertEquals(0f, got[3]);
        for (int i = 4; i < special.length; i++) {
            assertEquals((float) Math.exp(special[i]), got[i], Math.ulp((float) Math.exp(special[i])), "exp(" + special[i] + ")");
        }
    }

    @Test
    void expModerateGivesExpsBitsOverItsRange() {
        float[] x = new float[1 << 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = -Lanes.EXP_MODERATE_BOUND + 2 * Lanes.EXP_MODERATE_BOUND * i / (x.length - 1);
        }
        assertArrayEquals(bits(apply(Lanes::exp, x, Lanes.FLOATS)), bits(apply(Lanes::expModerate, x, Lanes.FLOATS)));
    }

    @Test
    void logIsWithinOneUlpOfTheExactValueOverAllPositiveNormalFloats() {
        int from = Float.floatToRawIntBits(Float.MIN_NORMAL);
        int to = Float.floatToRawIntBits(Float.MAX_VALUE);
        float[] x = new float[1 << 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = Float.intBitsToFloat(from + (int) ((long) (to - from) * i / (x.length - 1)));
        }
        float[] y = apply(Lanes::log, x, Lanes.FLOATS);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, ulps(y[i], Math.log(x[i]), x[i]));
        }
        assertTrue(worst <= 1, "worst error " + worst + " ulps");
        // dense near 1, where log is small and relative accuracy matters most (log(1 + 1/alpha) for large alpha)
        for (int i = 0; i < x.length; i++) {
            x[i] = Float.intBitsToFloat(Float.floatToRawIntBits(0.99f) + i);
        }
        y = apply(Lanes::log, x, Lanes.FLOATS);
        worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, ulps(y[i], Math.log(x[i]), x[i]));
        }
        assertTrue(worst <= 1, "near 1: worst error " + worst + " ulps");
    }

    /**
     * Every lane gives the same bits with 128-, 256- and 512-bit species, at the first calls (interpreted or
     * in the Vector API's Java fallback) and after the JIT has compiled the loops (intrinsics).
     */
    @Test
    void sameBitsWhateverTheSpeciesAndTheJit() {
        float[] x = new float[1024];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 30);
        }
        float[] positive = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            positive[i] = (float) Math.exp(x[i] / 3);
        }
        float[] coldExp = apply(Lanes::exp, x, WIDE);
        float[] coldLog = apply(Lanes::log, positive, WIDE);
        for (VectorSpecies<Float> s : new VectorSpecies[]{FloatVector.SPECIES_128,
                FloatVector.SPECIES_256, FloatVector.SPECIES_512, Lanes.FLOATS}) {
            for (int warm = 0; warm < 100; warm++) {
                apply(Lanes::exp, x, s);
                apply(Lanes::log, positive, s);
            }
            assertArrayEquals(bits(coldExp), bits(apply(Lanes::exp, x, s)), "exp, " + s);
            assertArrayEquals(bits(coldLog), bits(apply(Lanes::log, positive, s)), "log, " + s);
        }
    }

    @Test
    void speciesPropertyAcceptsOnlyTheNamedWidths() {
        assertEquals(FloatVector.SPECIES_256, Lanes.species("256"));
        assertEquals(FloatVector.SPECIES_512, Lanes.species("512"));
        assertEquals(FloatVector.SPECIES_PREFERRED, Lanes.species("preferred"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lanes.species("1024"));
        assertEquals("system property sparsevd.simd.species must be preferred, 256 or 512, got '1024'", e.getMessage());
    }

    /** |got − exact| in units of the last place of the float nearest the exact value. */
    private static double ulps(float got, double exact, float x) {
        float nearest = (float) exact;
        if (Float.isInfinite(nearest)) {
            assertEquals(nearest, got, "at " + x);
            return 0;
        }
        return Math.abs(got - exact) / Math.ulp(nearest);
    }

    private static float[] apply(UnaryOperator<FloatVector> f, float[] x, VectorSpecies<Float> s) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += s.length()) {
            f.apply(FloatVector.fromArray(s, x, i)).intoArray(y, i);
        }
        return y;
    }

    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToRawIntBits(x[i]);
        }
        return b;
    }
}
