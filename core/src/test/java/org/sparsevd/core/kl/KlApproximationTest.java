package org.sparsevd.core.kl;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eq. 14 of Molchanov et al. (2017) against −KL(q‖p) computed numerically. For q = N(θ, αθ²) and the log-uniform
 * prior, −KL = ½·logα − E_{ε~N(1,α)} log|ε| + C. E log|ε| is computed here by tanh-sinh quadrature (which handles
 * the log singularity at ε = 0; {@link KlNumeric}) and, independently, by the exact series
 * E log(ε²/α) = Σ_j Poisson(j; 1/(2α))·(ln 2 + ψ(½ + j)) (a non-central χ²₁ is a Poisson mixture of central ones).
 * C is fixed by −KL → 0 as α → ∞; its closed form is −½(γ + ln 2) ≈ −0.63518.
 */
class KlApproximationTest {

    private static final double EULER_GAMMA = 0.5772156649015329;

    /** E log|ε| by the exact Poisson–digamma series. */
    static double expectedLogAbsSeries(double logAlpha) {
        double alpha = Math.exp(logAlpha);
        double lambda = 1 / (2 * alpha);
        int jMax = (int) (lambda + 40 * Math.sqrt(lambda) + 100);
        double logP = -lambda;
        double sum = 0;
        for (int j = 0; j <= jMax; j++) {
            if (j > 0) {
                logP += Math.log(lambda) - Math.log(j);
            }
            sum += Math.exp(logP) * (Math.log(2) + digamma(0.5 + j));
        }
        return 0.5 * (logAlpha + sum);
    }

    static double digamma(double x) {
        double r = 0;
        while (x < 8) {
            r -= 1 / x;
            x += 1;
        }
        double f = 1 / (x * x);
        return r + Math.log(x) - 0.5 / x
                - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
    }

    private static final double C = -(0.5 * 30 - KlNumeric.expectedLogAbs(30)); // −KL(logα = 30) ≈ 0

    static double numericNegKl(double logAlpha) {
        return 0.5 * logAlpha - KlNumeric.expectedLogAbs(logAlpha) + C;
    }

    @Test
    void quadratureAndSeriesAgreeAndConstantIsKnown() {
        assertEquals(-0.5 * (EULER_GAMMA + Math.log(2)), C, 1e-9);
        for (double la : new double[]{-8, -5, -3.5, -1, 0, 0.5, 2, 5, 8}) {
            assertEquals(expectedLogAbsSeries(la), KlNumeric.expectedLogAbs(la), 1e-9, "E log|eps| at logα=" + la);
        }
        assertEquals(0.0, numericNegKl(30), 1e-9);
        assertEquals(0.0, numericNegKl(15), 1e-6);
    }

    @Test
    void approximationErrorBelowPaperBound() {
        double maxErr = 0;
        double argMax = Double.NaN;
        for (int i = 0; i <= 800; i++) {
            double la = -8 + i * 0.02;
            double err = Math.abs(-KlApproximation.kl(la) - numericNegKl(la));
            if (err > maxErr) {
                maxErr = err;
                argMax = la;
            }
        }
        // Measured: max |error| = 0.00937 at logα ≈ −3.5 — below the paper's 0.01, but not by much.
        assertTrue(maxErr < 0.0095, "max error " + maxErr + " at logα=" + argMax);
        assertTrue(maxErr > 0.009, "max error " + maxErr + " (the quadrature should reproduce the known 0.0094)");
        assertEquals(-3.5, argMax, 0.1);
    }

    @Test
    void klIsPositiveVanishesForLargeAlphaAndIsStable() {
        assertEquals(0.0, KlApproximation.kl(50), 1e-12);
        assertTrue(KlApproximation.kl(-8) > 4.6 && KlApproximation.kl(-8) < 4.7);
        assertEquals(0.5 * 1000 + KlApproximation.K1 * (1 - KlApproximation.sigmoid(KlApproximation.K2 - 1486.95)),
                KlApproximation.kl(-1000), 1e-9);
        assertTrue(Double.isFinite(KlApproximation.kl(1000)) && KlApproximation.kl(1000) >= 0);
        for (double la = -20; la <= 20; la += 0.25) {
            assertTrue(KlApproximation.kl(la) > 0, "KL(" + la + ")");
            assertTrue(KlApproximation.klDerivative(la) < 0, "KL decreases in logα");
        }
    }

    @Test
    void derivativeMatchesFiniteDifferences() {
        for (double la = -12; la <= 12; la += 0.37) {
            double h = 1e-5;
            double numeric = (KlApproximation.kl(la + h) - KlApproximation.kl(la - h)) / (2 * h);
            assertEquals(numeric, KlApproximation.klDerivative(la), 1e-8, "at " + la);
        }
    }

    @Test
    void arrayFormsMatchScalarForms() {
        double[] las = {-40, -8, -3.3, 0, 1.7, 8, 40};
        double expectedSum = 0;
        for (double la : las) {
            expectedSum += KlApproximation.kl(la);
        }
        INDArray f = Nd4j.createFromArray(las).castTo(DataType.FLOAT);
        INDArray d = Nd4j.createFromArray(las);
        assertEquals(expectedSum, KlApproximation.klSum(d), 1e-9);
        assertEquals(expectedSum, KlApproximation.klSum(f), 1e-4);
        INDArray before = f.dup();
        INDArray deriv = KlApproximation.klDerivative(f);
        assertEquals(before, f, "argument must not be modified");
        assertEquals(DataType.FLOAT, deriv.dataType());
        INDArray derivD = KlApproximation.klDerivative(d);
        for (int i = 0; i < las.length; i++) {
            assertEquals(KlApproximation.klDerivative(las[i]), derivD.getDouble(i), 1e-12);
            assertEquals(KlApproximation.klDerivative(las[i]), deriv.getDouble(i), 1e-6);
        }
        assertEquals(0.0, KlApproximation.klSum(Nd4j.empty(DataType.FLOAT)));
    }
}
