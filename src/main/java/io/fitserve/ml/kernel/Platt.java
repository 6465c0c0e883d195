package io.fitserve.ml.kernel;

/**
 * Platt scaling: fits {@code P(positive | f) = 1 / (1 + exp(A*f + B))} to decision values
 * by the Newton method with backtracking of Lin, Lin and Weng (2007), "A note on Platt's
 * probabilistic outputs for support vector machines" (the algorithm in libsvm), with
 * Platt's smoothed targets so that separable data does not drive A to infinity.
 */
final class Platt {

	private Platt() {
	}

	/** Returns {A, B}. */
	static double[] fit(double[] decision, boolean[] positive) {
		int n = decision.length;
		double prior1 = 0;
		for (boolean p : positive) {
			if (p) {
				prior1++;
			}
		}
		double prior0 = n - prior1;
		double hiTarget = (prior1 + 1.0) / (prior1 + 2.0);
		double loTarget = 1.0 / (prior0 + 2.0);
		double[] t = new double[n];
		for (int i = 0; i < n; i++) {
			t[i] = positive[i] ? hiTarget : loTarget;
		}
		double a = 0.0;
		double b = Math.log((prior0 + 1.0) / (prior1 + 1.0));
		double fval = objective(decision, t, a, b);
		final double sigma = 1e-12;
		final double eps = 1e-5;
		final double minStep = 1e-10;
		for (int iter = 0; iter < 100; iter++) {
			// gradient and Hessian (+ sigma I, which keeps it positive definite)
			double h11 = sigma;
			double h22 = sigma;
			double h21 = 0;
			double g1 = 0;
			double g2 = 0;
			for (int i = 0; i < n; i++) {
				double fApB = decision[i] * a + b;
				double p;
				double q;
				if (fApB >= 0) {
					double e = Math.exp(-fApB);
					p = e / (1.0 + e);
					q = 1.0 / (1.0 + e);
				}
				else {
					double e = Math.exp(fApB);
					p = 1.0 / (1.0 + e);
					q = e / (1.0 + e);
				}
				double d2 = p * q;
				h11 += decision[i] * decision[i] * d2;
				h22 += d2;
				h21 += decision[i] * d2;
				double d1 = t[i] - p;
				g1 += decision[i] * d1;
				g2 += d1;
			}
			if (Math.abs(g1) < eps && Math.abs(g2) < eps) {
				break;
			}
			double det = h11 * h22 - h21 * h21;
			double dA = -(h22 * g1 - h21 * g2) / det;
			double dB = -(-h21 * g1 + h11 * g2) / det;
			double gd = g1 * dA + g2 * dB;
			double step = 1;
			while (step >= minStep) {
				double newA = a + step * dA;
				double newB = b + step * dB;
				double newF = objective(decision, t, newA, newB);
				if (newF < fval + 1e-4 * step * gd) {
					a = newA;
					b = newB;
					fval = newF;
					break;
				}
				step /= 2;
			}
			if (step < minStep) {
				break; // line search failed: keep the best point found
			}
		}
		return new double[] { a, b };
	}

	private static double objective(double[] decision, double[] t, double a, double b) {
		double f = 0;
		for (int i = 0; i < decision.length; i++) {
			double fApB = decision[i] * a + b;
			f += (fApB >= 0) ? t[i] * fApB + Math.log1p(Math.exp(-fApB))
					: (t[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
		}
		return f;
	}

}
