package io.fitserve.ml.kernel;

import io.fitserve.ml.eval.Metrics;
import java.util.Objects;

/**
 * A trained kernel SVM: pure-Java, thread-safe inference (the arrays are never modified
 * after construction).
 *
 * <p>
 * Every machine's decision value is
 * {@code f_m(x) = sum_v coefficients[m][v] * K(x, vectors[v]) + bias[m]}. For the exact
 * solver the vectors are the support vectors (union over machines) and the coefficients
 * {@code alpha_v*y_v}; for the Nystroem approximation they are the landmarks and the
 * linear weights mapped back through the Nystroem normalisation, so both share one
 * formula. Binary models have one machine (positive = class 1). Multi-class models use
 * one of two strategies:
 * <ul>
 * <li>{@link #OVR} (one-vs-rest): one machine per class, positive = that class;
 * probabilities are the machines' sigmoids normalised to sum 1, the label their
 * argmax.</li>
 * <li>{@link #OVO} (one-vs-one, as libsvm / scikit-learn's SVC): {@code k(k-1)/2}
 * machines, one per class pair {@code (i, j)}, {@code i < j}, in libsvm's order
 * {@code (0,1), (0,2), ..., (0,k-1), (1,2), ...} (see {@link #pairs()}), each trained on
 * the two classes' rows only; positive = class i (the lower index). Every pairwise
 * machine casts one vote ({@code f > 0}: i, else j). With {@link #calibrated()} the
 * pairwise Platt probabilities are combined by pairwise coupling (Wu, Lin and Weng 2004,
 * method 2, libsvm's multiclass_probability) and the label is the argmax of those
 * probabilities (scikit-learn's predict would use the votes, which can disagree; we give
 * one answer). Uncalibrated, the "probabilities" are vote shares softened by the summed
 * decision values (see {@link #predictProba}); they are not calibrated, and their argmax
 * is the voted label (ties: lowest class index, as libsvm).</li>
 * </ul>
 * For binary models the strategy makes no difference and is normalised to {@link #OVR}.
 *
 * @param approximation "none" (exact SMO) or "nystroem"
 * @param plattA per machine; {@code P(positive | f) = 1 / (1 + exp(plattA*f + plattB))}
 * @param calibrated false when {@code plattA = -1, plattB = 0}: the "probabilities" are
 * then the plain sigmoid of the margins (one-vs-rest) or the softened vote shares
 * (one-vs-one), which rank like them but are uncalibrated
 * @param strategy {@link #OVR} or {@link #OVO}
 */
public record KernelModel(Kernel kernel, double gamma, int degree, double coef0, String approximation, int numFeatures,
		double[][] vectors, double[][] coefficients, double[] bias, double[] plattA, double[] plattB,
		boolean calibrated, int numClasses, String strategy) {

	/** Multi-class strategy: one machine per class against the rest. */
	public static final String OVR = "ovr";

	/** Multi-class strategy: one machine per pair of classes, majority vote (libsvm). */
	public static final String OVO = "ovo";

	/** libsvm's clipping of pairwise probabilities before coupling. */
	private static final double MIN_PAIR_PROBABILITY = 1e-7;

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
		Objects.requireNonNull(strategy, "strategy");
		if (!OVR.equals(strategy) && !OVO.equals(strategy)) {
			throw new IllegalArgumentException("strategy must be \"" + OVR + "\" or \"" + OVO + "\", got " + strategy);
		}
		if (numClasses < 2) {
			throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
		}
		if (numFeatures < 1) {
			throw new IllegalArgumentException("numFeatures must be >= 1, got " + numFeatures);
		}
		if (!Double.isFinite(gamma) || !Double.isFinite(coef0) || (kernel == Kernel.POLY && degree < 1)) {
			throw new IllegalArgumentException("invalid kernel parameters");
		}
		if (numClasses == 2) {
			strategy = OVR;
		}
		int machines = machines(numClasses, strategy);
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

	/** A one-vs-rest model (the only strategy before one-vs-one existed). */
	public KernelModel(Kernel kernel, double gamma, int degree, double coef0, String approximation, int numFeatures,
			double[][] vectors, double[][] coefficients, double[] bias, double[] plattA, double[] plattB,
			boolean calibrated, int numClasses) {
		this(kernel, gamma, degree, coef0, approximation, numFeatures, vectors, coefficients, bias, plattA, plattB,
				calibrated, numClasses, OVR);
	}

	/**
	 * Number of one-vs-rest machines for a class count: 1 for binary, one per class
	 * otherwise.
	 */
	public static int machines(int numClasses) {
		return machines(numClasses, OVR);
	}

	/**
	 * Number of binary machines: 1 for binary; one per class (OVR) or per class pair
	 * (OVO) otherwise.
	 */
	public static int machines(int numClasses, String strategy) {
		if (numClasses == 2) {
			return 1;
		}
		return OVO.equals(strategy) ? numClasses * (numClasses - 1) / 2 : numClasses;
	}

	/**
	 * The class pairs {i, j} (i < j) of the one-vs-one machines in libsvm's order,
	 * machine m deciding pairs[m].
	 */
	public static int[][] pairs(int numClasses) {
		int[][] pairs = new int[numClasses * (numClasses - 1) / 2][];
		int m = 0;
		for (int i = 0; i < numClasses; i++) {
			for (int j = i + 1; j < numClasses; j++) {
				pairs[m++] = new int[] { i, j };
			}
		}
		return pairs;
	}

	/**
	 * The class pairs of this model's machines (a fresh array): one-vs-one only, else
	 * empty.
	 */
	public int[][] pairs() {
		return isOneVsOne() ? pairs(this.numClasses) : new int[0][];
	}

	/** Whether this is a multi-class one-vs-one model. */
	public boolean isOneVsOne() {
		return OVO.equals(this.strategy) && this.numClasses > 2;
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
	 * The predicted class: the argmax of {@link #predictProba} (ties to the lowest
	 * index), which for uncalibrated one-vs-one models is the majority vote of the
	 * pairwise machines (ties to the lowest index, as libsvm).
	 */
	public int predictClass(double[] x) {
		return Metrics.argmax(predictProba(x));
	}

	/**
	 * Class probabilities (length numClasses, summing to 1): binary {@code {1 - p, p}}
	 * with p the sigmoid of the machine's margin; one-vs-rest the sigmoids normalised to
	 * sum 1; one-vs-one pairwise coupling of the pairwise Platt probabilities when
	 * {@link #calibrated()}, else the softened vote shares (see {@link #oneVsOneVotes}).
	 * Calibrated only when {@link #calibrated()}.
	 */
	public double[] predictProba(double[] x) {
		double[] f = decisionFunction(x);
		if (isOneVsOne()) {
			return this.calibrated ? coupled(f) : oneVsOneVotes(f);
		}
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
			// every sigmoid underflowing to 0 leaves no information: uniform rather than
			// NaN
			p[m] = (sum > 0) ? p[m] / sum : 1.0 / f.length;
		}
		return p;
	}

	/**
	 * Uncalibrated one-vs-one "probabilities": class c scores {@code votes_c + 1/2 + s_c}
	 * with {@code s_c =
	 * conf_c / (3 (|conf_c| + 1))} in (-1/3, 1/3), {@code conf_c} the summed decision
	 * values in favour of c (as scikit-learn's ovr-shaped decision_function), normalised
	 * to sum 1. The softening orders classes with equal votes only; so that the argmax is
	 * libsvm's voted label also then (ties: lowest index), the voted class's score is
	 * raised to the largest score among the classes it ties with (an exact tie in score
	 * then goes to the lower index).
	 */
	private double[] oneVsOneVotes(double[] f) {
		int k = this.numClasses;
		double[] votes = new double[k];
		double[] confidence = new double[k];
		int m = 0;
		for (int i = 0; i < k; i++) {
			for (int j = i + 1; j < k; j++) {
				if (f[m] > 0) {
					votes[i]++;
				}
				else {
					votes[j]++;
				}
				confidence[i] += f[m];
				confidence[j] -= f[m];
				m++;
			}
		}
		int voted = 0;
		for (int c = 1; c < k; c++) {
			if (votes[c] > votes[voted]) {
				voted = c;
			}
		}
		double[] score = new double[k];
		for (int c = 0; c < k; c++) {
			double s = Double.isFinite(confidence[c]) ? confidence[c] / (3 * (Math.abs(confidence[c]) + 1)) : 0;
			score[c] = votes[c] + 0.5 + s;
		}
		double lifted = score[voted];
		for (int c = voted + 1; c < k; c++) {
			if (votes[c] == votes[voted]) {
				lifted = Math.max(lifted, score[c]);
			}
		}
		score[voted] = lifted;
		double sum = 0;
		for (double s : score) {
			sum += s;
		}
		for (int c = 0; c < k; c++) {
			score[c] /= sum;
		}
		return score;
	}

	/**
	 * Pairwise coupling of the pairwise Platt probabilities {@code r_ij = P(i | i or j)}
	 * (clipped to [1e-7, 1 - 1e-7] as libsvm): Wu, Lin and Weng (2004), method 2, solving
	 * {@code min_p p'Qp} s.t. {@code sum p = 1} by libsvm's fixed-point iteration
	 * ({@code multiclass_probability}).
	 */
	private double[] coupled(double[] f) {
		int k = this.numClasses;
		double[][] r = new double[k][k];
		int m = 0;
		for (int i = 0; i < k; i++) {
			for (int j = i + 1; j < k; j++) {
				double p = platt(this.plattA[m], this.plattB[m], f[m]);
				p = Math.min(Math.max(p, MIN_PAIR_PROBABILITY), 1 - MIN_PAIR_PROBABILITY);
				r[i][j] = p;
				r[j][i] = 1 - p;
				m++;
			}
		}
		return multiclassProbability(r);
	}

	/**
	 * libsvm's multiclass_probability: the coupled class probabilities (summing to 1) of
	 * pairwise r[i][j].
	 */
	static double[] multiclassProbability(double[][] r) {
		int k = r.length;
		double[][] q = new double[k][k];
		double[] p = new double[k];
		double[] qp = new double[k];
		for (int t = 0; t < k; t++) {
			p[t] = 1.0 / k;
			for (int j = 0; j < t; j++) {
				q[t][t] += r[j][t] * r[j][t];
				q[t][j] = q[j][t];
			}
			for (int j = t + 1; j < k; j++) {
				q[t][t] += r[j][t] * r[j][t];
				q[t][j] = -r[j][t] * r[t][j];
			}
		}
		int maxIterations = Math.max(100, k);
		double eps = 0.005 / k;
		for (int iter = 0; iter < maxIterations; iter++) {
			// stopping condition; recompute Qp and pQp for numerical accuracy
			double pqp = 0;
			for (int t = 0; t < k; t++) {
				qp[t] = 0;
				for (int j = 0; j < k; j++) {
					qp[t] += q[t][j] * p[j];
				}
				pqp += p[t] * qp[t];
			}
			double maxError = 0;
			for (int t = 0; t < k; t++) {
				maxError = Math.max(maxError, Math.abs(qp[t] - pqp));
			}
			if (maxError < eps) {
				break;
			}
			for (int t = 0; t < k; t++) {
				double diff = (-qp[t] + pqp) / q[t][t];
				p[t] += diff;
				pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
				for (int j = 0; j < k; j++) {
					qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff);
					p[j] /= (1 + diff);
				}
			}
		}
		// the iteration keeps sum p = 1 up to rounding: make it exact to the last bits
		double sum = 0;
		for (double v : p) {
			sum += v;
		}
		for (int t = 0; t < k; t++) {
			p[t] /= sum;
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
