package io.fitserve.ml.kernel;

import java.util.Objects;

/**
 * Settings of a kernel SVM ({@link KernelSvmTrainer}).
 *
 * @param kernel the kernel: LINEAR {@code x.y}, RBF {@code exp(-gamma*|x-y|^2)}, POLY
 * {@code (gamma*x.y + coef0)^degree}
 * @param c the box constraint (scikit-learn's C), > 0
 * @param gamma kernel coefficient; {@code <= 0} means scikit-learn's 'scale',
 * {@code 1/(features * X.var())}
 * @param degree POLY degree, >= 1 (ignored otherwise)
 * @param coef0 POLY offset (ignored otherwise)
 * @param probabilities true to calibrate probabilities with Platt scaling on held-out
 * decision values
 * @param maxExactRows up to this many training rows the exact (SMO) solver runs; beyond,
 * the Nystroem approximation
 * @param approximationComponents number of Nystroem landmarks
 * @param classWeights per-class multipliers of C (length = number of classes), or null
 * for all 1
 * @param seed seeds landmark sampling and the calibration folds
 */
public record KernelSvmConfig(Kernel kernel, double c, double gamma, int degree, double coef0, boolean probabilities,
		int maxExactRows, int approximationComponents, double[] classWeights, long seed) {

	/**
	 * Exact up to this many rows by default: the kernel matrix then still fits a 100 MB
	 * float cache.
	 */
	public static final int DEFAULT_MAX_EXACT_ROWS = 5000;

	/** Default number of Nystroem landmarks. */
	public static final int DEFAULT_APPROXIMATION_COMPONENTS = 1000;

	public KernelSvmConfig {
		Objects.requireNonNull(kernel, "kernel");
		if (!(c > 0) || Double.isInfinite(c)) {
			throw new IllegalArgumentException("c must be finite and > 0, got " + c);
		}
		if (Double.isNaN(gamma) || Double.isInfinite(gamma)) {
			throw new IllegalArgumentException("gamma must be finite, got " + gamma);
		}
		if (kernel == Kernel.POLY && degree < 1) {
			throw new IllegalArgumentException("degree must be >= 1, got " + degree);
		}
		if (!Double.isFinite(coef0)) {
			throw new IllegalArgumentException("coef0 must be finite, got " + coef0);
		}
		if (maxExactRows < 0) {
			throw new IllegalArgumentException("maxExactRows must be >= 0, got " + maxExactRows);
		}
		if (approximationComponents < 1) {
			throw new IllegalArgumentException("approximationComponents must be >= 1, got " + approximationComponents);
		}
		if (classWeights != null) {
			classWeights = classWeights.clone();
			for (double w : classWeights) {
				if (!(w > 0) || Double.isInfinite(w)) {
					throw new IllegalArgumentException("class weights must be finite and > 0");
				}
			}
		}
	}

	/**
	 * The given kernel with C = 1, gamma 'scale', no calibration, default limits and seed
	 * 0.
	 */
	public static KernelSvmConfig defaults(Kernel kernel) {
		return new KernelSvmConfig(kernel, 1.0, 0.0, 3, 0.0, false, DEFAULT_MAX_EXACT_ROWS,
				DEFAULT_APPROXIMATION_COMPONENTS, null, 0L);
	}

}
