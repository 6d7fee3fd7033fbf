package org.sparsevd.core.kl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparsevd.core.kl.KlApproximation;
import org.sparsevd.core.simd.DirectFloats;

/**
 * The fused SIMD KL kernel computes what the ND4J formulation computes, in the layout DL4J gives it: W and logσ²
 * as views into one flat parameter vector, the gradients as views into the flat gradient.
 */
class FusedKlKernelTest {

    @Test
    void testJvmHasTheVectorModuleSoTheFusedKernelIsUsed() {
        assertTrue(DirectFloats.enabled(), "surefire starts the test JVM with --add-modules jdk.incubator.vector");
    }

    @Test
    void matchesTheNd4jFormulationOnParameterViews() {
        // 37 x 29 = 1073 entries: not a multiple of any vector width, so the zero-padded tail runs too
        checkAgainstOps(37, 29, -8, 8, 1);
        checkAgainstOps(300, 100, -8, 8, 2);
        checkAgainstOps(16, 3, -4, 2, 3); // narrow clip: many entries clipped on both sides
        checkAgainstOps(40, 30, -FusedKlKernel.CLIP_LIMIT, FusedKlKernel.CLIP_LIMIT, 4); // the widest it takes
    }

    @Test
    void expMatchesNd4j() {
        INDArray flat = Nd4j.rand(DataType.FLOAT, 1, 1000 + 3).muli(30).subi(20);
        INDArray logSigma2 = view(flat, 3, 25, 40);
        INDArray out = Nd4j.create(DataType.FLOAT, new long[]{25, 40}, 'f');
        FusedKlKernel.exp(logSigma2, out);
        INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.exp(logSigma2.dup('f'), true);
        double relDiff = expected.sub(out).divi(expected).amaxNumber().doubleValue();
        assertTrue(relDiff < 1e-6, "max relative difference " + relDiff);
    }

    @Test
    void leavesWiderClipRangesToTheNd4jFormulation() {
        assertTrue(FusedKlKernel.supportsClip(-FusedKlKernel.CLIP_LIMIT, FusedKlKernel.CLIP_LIMIT));
        assertFalse(FusedKlKernel.supportsClip(-40, 8));
        assertFalse(FusedKlKernel.supportsClip(-8, 40));
        INDArray w = Nd4j.randn(DataType.FLOAT, 6, 5).muli(0.3);
        INDArray exp = org.nd4j.linalg.ops.transforms.Transforms.exp(Nd4j.rand(DataType.FLOAT, 6, 5).muli(14).subi(12));
        assertThrows(IllegalArgumentException.class, () -> FusedKlKernel.addGradient(w, exp, w.ulike(), w.ulike(),
                1, -40, 8));
        INDArray gW = Nd4j.zeros(DataType.FLOAT, 6, 5);
        INDArray gWOps = gW.dup();
        double routed = SparseVdKl.addGradient(w, exp, exp, gW, gW.dup(), 1, -40, 8, LayerWorkspaceMgr.noWorkspaces());
        double ops = SparseVdKl.addGradientByOps(w, exp, gWOps, gWOps.dup(), 1, -40, 8,
                LayerWorkspaceMgr.noWorkspaces());
        assertEquals(ops, routed, 0, "a clip range beyond the kernel's runs the ND4J formulation");
        assertEquals(gWOps, gW);
    }

    @Test
    void refusesArraysItCannotAddress() {
        INDArray f = Nd4j.rand(DataType.FLOAT, 4, 5);
        assertTrue(DirectFloats.supports(f, f.dup()));
        assertFalse(DirectFloats.supports(f.castTo(DataType.DOUBLE), f));
        assertFalse(DirectFloats.supports(f, f.dup('f')));                 // mixed orders
        assertFalse(DirectFloats.supports(f.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)),
                Nd4j.rand(DataType.FLOAT, 4, 3)));                          // strided view
    }

    private static void checkAgainstOps(int rows, int cols, double min, double max, long seed) {
        Nd4j.getRandom().setSeed(seed);
        long n = (long) rows * cols;
        INDArray params = Nd4j.create(DataType.FLOAT, 1, 2 * n + 7);
        INDArray w = view(params, 7, rows, cols);
        INDArray logSigma2 = view(params, 7 + n, rows, cols);
        w.assign(Nd4j.randn(DataType.FLOAT, rows, cols).muli(0.3));
        w.putScalar(0, 0f);                                                 // W = 0: α at its upper clip
        logSigma2.assign(Nd4j.rand(DataType.FLOAT, rows, cols).muli(14).subi(12));
        INDArray exp = org.nd4j.linalg.ops.transforms.Transforms.exp(logSigma2, true);
        INDArray grads = Nd4j.randn(DataType.FLOAT, 1, 2 * n);
        INDArray gW = view(grads, 0, rows, cols);
        INDArray gL = view(grads, n, rows, cols);
        INDArray gWOps = gW.dup('f');
        INDArray gLOps = gL.dup('f');
        double coef = 0.37;

        assertTrue(DirectFloats.supports(w, exp, gW, gL));
        double fused = FusedKlKernel.addGradient(w, exp, gW, gL, coef, min, max);
        double ops = SparseVdKl.addGradientByOps(w.dup('f'), exp.dup('f'), gWOps, gLOps, coef, min, max,
                LayerWorkspaceMgr.noWorkspaces());

        assertEquals(ops, fused, 2e-5 * Math.abs(ops), "sum of KL");
        double exact = KlApproximation.klSum(LogAlpha.compute(w.castTo(DataType.DOUBLE),
                logSigma2.castTo(DataType.DOUBLE), min, max));
        assertEquals(exact, fused, 1e-4 * Math.abs(exact), "sum of KL against the double-precision eq. 14");
        assertClose(gWOps, gW, "dKL/dW");
        assertClose(gLOps, gL, "dKL/dlogSigma2");
    }

    private static INDArray view(INDArray flat, long from, int rows, int cols) {
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, from + (long) rows * cols))
                .reshape('f', rows, cols);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double maxAbs = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual.dup('f')).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * Math.max(1, maxAbs), what + ": max |difference| " + diff + " (max |value| " + maxAbs
                + ")");
    }
}
