package io.fitserve.ml.kernel;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Binary linear SVM (hinge loss) in the explicit Nystroem feature space: liblinear's dual
 * coordinate descent with shrinking (Hsieh et al. 2008). The bias is an extra constant
 * feature 1, so it is regularised as in liblinear and scikit-learn's LinearSVC.
 */
final class KernelSvmLinear {

	/**
	 * Stopping tolerance on the projected-gradient spread (liblinear uses 0.1; tighter
	 * costs little here).
	 */
	static final double TOLERANCE = 0.01;

	static final int MAX_ITERATIONS = 1000;

	/** w (one per feature) and b; f(z) = w.z + b. */
	record Solution(double[] w, double b, double hingeLoss) {
	}

	private KernelSvmLinear() {
	}

	static Solution solve(double[][] z, int[] rows, boolean[] positive, double[] cost, double[] weights, long seed,
			BooleanSupplier cancelled) {
		int n = rows.length;
		int m = z[0].length;
		double[] w = new double[m];
		double b = 0;
		double[] alpha = new double[n];
		double[] qd = new double[n];
		for (int t = 0; t < n; t++) {
			qd[t] = KernelFunction.dot(z[rows[t]], z[rows[t]]) + 1.0;
		}
		int[] index = new int[n];
		for (int t = 0; t < n; t++) {
			index[t] = t;
		}
		SplittableRandom random = new SplittableRandom(seed);
		int active = n;
		double pgMaxOld = Double.POSITIVE_INFINITY;
		double pgMinOld = Double.NEGATIVE_INFINITY;
		for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
			if (cancelled.getAsBoolean()) {
				throw new CancellationException("training cancelled");
			}
			for (int s = 0; s < active; s++) {
				int k = s + random.nextInt(active - s);
				int tmp = index[s];
				index[s] = index[k];
				index[k] = tmp;
			}
			double pgMax = Double.NEGATIVE_INFINITY;
			double pgMin = Double.POSITIVE_INFINITY;
			for (int s = 0; s < active; s++) {
				int t = index[s];
				double[] zt = z[rows[t]];
				double yt = positive[rows[t]] ? 1 : -1;
				double c = cost[rows[t]];
				double grad = yt * (KernelFunction.dot(w, zt) + b) - 1;
				double pg = 0;
				if (alpha[t] == 0) {
					if (grad > pgMaxOld) {
						active--;
						index[s] = index[active];
						index[active] = t;
						s--;
						continue;
					}
					if (grad < 0) {
						pg = grad;
					}
				}
				else if (alpha[t] == c) {
					if (grad < pgMinOld) {
						active--;
						index[s] = index[active];
						index[active] = t;
						s--;
						continue;
					}
					if (grad > 0) {
						pg = grad;
					}
				}
				else {
					pg = grad;
				}
				pgMax = Math.max(pgMax, pg);
				pgMin = Math.min(pgMin, pg);
				if (Math.abs(pg) > 1e-12) {
					double old = alpha[t];
					alpha[t] = Math.min(Math.max(old - grad / qd[t], 0.0), c);
					double d = (alpha[t] - old) * yt;
					for (int j = 0; j < m; j++) {
						w[j] += d * zt[j];
					}
					b += d;
				}
			}
			if (pgMax - pgMin <= TOLERANCE) {
				if (active == n) {
					break;
				}
				// converged on the active set: check everything once more before stopping
				active = n;
				pgMaxOld = Double.POSITIVE_INFINITY;
				pgMinOld = Double.NEGATIVE_INFINITY;
				continue;
			}
			pgMaxOld = pgMax <= 0 ? Double.POSITIVE_INFINITY : pgMax;
			pgMinOld = pgMin >= 0 ? Double.NEGATIVE_INFINITY : pgMin;
		}
		double loss = 0;
		for (int t = 0; t < n; t++) {
			double yt = positive[rows[t]] ? 1 : -1;
			loss += weights[rows[t]] * Math.max(0, 1 - yt * (KernelFunction.dot(w, z[rows[t]]) + b));
		}
		return new Solution(w, b, loss / n);
	}

}
