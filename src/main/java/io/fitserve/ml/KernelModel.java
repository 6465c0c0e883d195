package io.fitserve.ml;

import java.util.Objects;

/**
 * A trained kernel SVM: pure-Java, thread-safe inference (the arrays are never modified after construction).
 *
 * <p>Every machine's decision value is {@code f_m(x) = sum_v coefficients[m][v] * K(x, vectors[v]) + bias[m]}. For the
 * exact solver the vectors are the support vectors (union over machines) and the coefficients {@code alpha_v*y_v};
 * for the Nystroem approximation they are the landmarks and the linear weights mapped back through the Nystroem
 * normalisation, so both share one formula. Binary models have one machine (positive = class 1); multi-class models
 * one per class (one-vs-rest).
 *
 * @param approximation "none" (exact SMO) or "nystroem"
 * @param plattA per machine; {@code P(positive | f) = 1 / (1 + exp(plattA*f + plattB))}
 * @param calibrated false when {@code plattA = -1, plattB = 0}: the "probabilities" are then the plain sigmoid of
 *     the margins, which ranks like them but is uncalibrated
 */
public record KernelModel(Kernel kernel, double gamma, int degree, double coef0, String approximation,
		int numFeatures, double[][] vectors, double[][] coefficients, double[] bias, double[] plattA, double[] plattB,
		boolean calibrated, int numClasses) {

	/** Approximation name of the exact solver. */
	public static final String EXACT = "none";

	/** Approximation name of the Nystroem path. */
	public static final String NYSTROEM = "nystroem";

	public KernelModel {
		Objects.requireNonNull(kernel, "kernel");
		Objects.requireNonNull(approximation, "approximation");
		Objects.requireNonNull(vectors, "vectors");
		Objects.requireNonNull(coefficients, "coefficients");
		Objects.requireNonNull(bias, "bias");
		Objects.requireNonNull(plattA, "plattA");
		Objects.requireNonNull(plattB, "plattB");
		if (numClasses < 2) {
			throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
		}
		if (numFeatures < 1) {
			throw new IllegalArgumentException("numFeatures must be >= 1, got " + numFeatures);
		}
		if (!Double.isFinite(gamma) || !Double.isFinite(coef0) || (kernel == Kernel.POLY && degree < 1)) {
			throw new IllegalArgumentException("invalid kernel parameters");
		}
		int machines = machines(numClasses);
		if (coefficients.length != machines || bias.length != machines || plattA.length != machines
				|| plattB.length != machines) {
			throw new IllegalArgumentException("expected " + machines + " machines for " + numClasses + " classes");
		}
		for (double[] vector : vectors) {
			if (vector == null || vector.length != numFeatures) {
				throw new IllegalArgumentException("every vector must have " + numFeatures + " values");
			}
		}
		for (double[] c : coefficients) {
			if (c == null || c.length != vectors.length) {
				throw new IllegalArgumentException("every machine needs one coefficient per vector");
			}
		}
	}

	/** Number of binary machines for a class count: 1 for binary, one per class (one-vs-rest) otherwise. */
	public static int machines(int numClasses) {
		return numClasses == 2 ? 1 : numClasses;
	}

	/** Raw margins, one per machine (length 1 for binary: positive means class 1). */
	public double[] decisionFunction(double[] x) {
		Objects.requireNonNull(x, "x");
		if (x.length != this.numFeatures) {
			throw new IllegalArgumentException("expected " + this.numFeatures + " input values but got " + x.length);
		}
		int machines = this.bias.length;
		double[] f = this.bias.clone();
		for (int v = 0; v < this.vectors.length; v++) {
			double k = evaluate(x, this.vectors[v]);
			for (int m = 0; m < machines; m++) {
				f[m] += this.coefficients[m][v] * k;
			}
		}
		return f;
	}

	/**
	 * Class probabilities (length numClasses, summing to 1): binary {@code {1 - p, p}} with p the sigmoid of the
	 * machine's margin; multi-class the one-vs-rest sigmoids normalised to sum 1. Calibrated only when
	 * {@link #calibrated()}.
	 */
	public double[] predictProba(double[] x) {
		double[] f = decisionFunction(x);
		if (f.length == 1) {
			double p = platt(this.plattA[0], this.plattB[0], f[0]);
			return new double[] { 1.0 - p, p };
		}
		double[] p = new double[f.length];
		double sum = 0;
		for (int m = 0; m < f.length; m++) {
			p[m] = platt(this.plattA[m], this.plattB[m], f[m]);
			sum += p[m];
		}
		for (int m = 0; m < f.length; m++) {
			// every sigmoid underflowing to 0 leaves no information: uniform rather than NaN
			p[m] = (sum > 0) ? p[m] / sum : 1.0 / f.length;
		}
		return p;
	}

	/** The kernel between two rows, with this model's parameters. */
	double evaluate(double[] a, double[] b) {
		return switch (this.kernel) {
			case LINEAR -> dot(a, b);
			case POLY -> Math.pow(this.gamma * dot(a, b) + this.coef0, this.degree);
			case RBF -> {
				double d2 = 0;
				for (int j = 0; j < a.length; j++) {
					double d = a[j] - b[j];
					d2 += d * d;
				}
				yield Math.exp(-this.gamma * d2);
			}
		};
	}

	private static double dot(double[] a, double[] b) {
		double s = 0;
		for (int j = 0; j < a.length; j++) {
			s += a[j] * b[j];
		}
		return s;
	}

	/** 1 / (1 + exp(a*f + b)) without overflow. */
	static double platt(double a, double b, double f) {
		double z = a * f + b;
		if (z >= 0) {
			double e = Math.exp(-z);
			return e / (1.0 + e);
		}
		return 1.0 / (1.0 + Math.exp(z));
	}

}
