package org.sparsevd.core.kl;

/**
 * −KL(q‖p) of Sparse Variational Dropout computed numerically, the reference curve of Figure 1 of the review
 * (Molchanov, Ashukha, Vetrov, ICML 2017, Section 4.2, eq. 14). For q(w) = N(θ, αθ²) and the log-uniform prior
 * p(|w|) ∝ 1/|w|,
 * <pre>
 *   −KL(q‖p) = ½·logα − E_{ε~N(1,α)} log|ε| + C,   C = −½(γ + ln 2) ≈ −0.63518
 * </pre>
 * with C fixed by −KL → 0 as α → ∞. E log|ε| = E log|1 + √α·z|, z ~ N(0, 1), is computed by deterministic
 * tanh-sinh quadrature split at the integrable log singularity z₀ = −1/√α (KlApproximationTest checks it against
 * the exact Poisson–digamma series to 1e-9). The reference that {@link KlApproximation} is measured against.
 */
public final class KlNumeric {

    /** Euler–Mascheroni constant γ. */
    static final double EULER_GAMMA = 0.5772156649015329;
    /** C = −½(γ + ln 2): the constant making −KL vanish as α → ∞. */
    public static final double C = -0.5 * (EULER_GAMMA + Math.log(2));

    /** The standard normal is integrated over [−Z_MAX, Z_MAX]; the mass outside is below 1e-32. */
    private static final double Z_MAX = 12;
    /** Tanh-sinh step and half-width of the truncated t range. */
    private static final double STEP = 1.0 / 32;
    private static final double T_MAX = 4.0;

    private KlNumeric() {
    }

    /** −KL(q‖p) as a function of logα (negative, → 0 as logα → ∞). */
    public static double negKl(double logAlpha) {
        return 0.5 * logAlpha - expectedLogAbs(logAlpha) + C;
    }

    /** E log|1 + √α·z|, z ~ N(0, 1). */
    public static double expectedLogAbs(double logAlpha) {
        double s = Math.exp(logAlpha / 2);
        double z0 = -1 / s;
        if (z0 <= -Z_MAX) { // no singularity in range: 1 + s·z > 0 throughout
            return tanhSinh((z, dLo, dHi) -> phi(z) * Math.log1p(s * z), -Z_MAX, Z_MAX);
        }
        // |1 + s·z| = s·|z − z0|, with the exact distance to the singular end passed in (no cancellation)
        double left = tanhSinh((z, dLo, dHi) -> phi(z) * Math.log(s * dHi), -Z_MAX, z0);
        double right = tanhSinh((z, dLo, dHi) -> phi(z) * Math.log(s * dLo), z0, Z_MAX);
        return left + right;
    }

    /** An integrand that also gets the exact distances of x to both ends of the interval. */
    interface Integrand {
        double at(double x, double distanceToLo, double distanceToHi);
    }

    /** Tanh-sinh (double exponential) quadrature of f over [a, b]; handles integrable end-point singularities. */
    static double tanhSinh(Integrand f, double a, double b) {
        double half = (b - a) / 2;
        int n = (int) Math.ceil(T_MAX / STEP);
        double sum = 0;
        for (int k = -n; k <= n; k++) {
            double t = k * STEP;
            double u = Math.PI / 2 * Math.sinh(t);
            double cu = Math.cosh(u);
            double w = Math.PI / 2 * Math.cosh(t) / (cu * cu);
            double dLo = half * 2 / (1 + Math.exp(-2 * u)); // half·(1 + tanh u)
            double dHi = half * 2 / (1 + Math.exp(2 * u));  // half·(1 − tanh u)
            if (dLo == 0 || dHi == 0 || w == 0) {
                continue;
            }
            sum += w * f.at(a + dLo, dLo, dHi);
        }
        return sum * STEP * half;
    }

    private static double phi(double z) {
        return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    }
}
