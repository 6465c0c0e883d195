package io.fitserve.ml.eval;

import io.fitserve.ml.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Evaluation metrics for regression and classification, matching scikit-learn's
 * definitions.
 */
public final class Metrics {

	/** Probabilities are clipped to [EPS, 1 - EPS] for the log loss. */
	public static final double LOG_LOSS_EPS = 1e-15;

	private Metrics() {
	}

	/** Metric names per task, in the order {@link #names} lists them. */
	private static final List<String> CLASSIFICATION_NAMES = List.of("accuracy", "balancedAccuracy", "precision",
			"recall", "f1", "logLoss", "rocAuc", "prAuc");

	private static final List<String> REGRESSION_NAMES = List.of("mse", "rmse", "mae", "r2", "medianAbsoluteError",
			"explainedVariance");

	/**
	 * MSE, RMSE, MAE, R^2 = 1 - SSres/SStot, median absolute error (the middle value, or
	 * the mean of the two middle values) and explained variance 1 - Var(yTrue -
	 * yPred)/Var(yTrue) with population variances. As scikit-learn's force_finite: when
	 * the denominator is 0, R^2 and explained variance are 1 if the numerator is 0, else
	 * 0.
	 */
	public static RegressionMetrics regression(double[] yTrue, double[] yPred) {
		int n = rows(yTrue, yPred);
		double mean = 0;
		double errorMean = 0;
		for (int i = 0; i < n; i++) {
			mean += yTrue[i];
			errorMean += yTrue[i] - yPred[i];
		}
		mean /= n;
		errorMean /= n;
		double ssRes = 0;
		double absSum = 0;
		double ssTot = 0;
		double errorSs = 0;
		double[] absErrors = new double[n];
		for (int i = 0; i < n; i++) {
			double e = yTrue[i] - yPred[i];
			ssRes += e * e;
			absErrors[i] = Math.abs(e);
			absSum += absErrors[i];
			double d = yTrue[i] - mean;
			ssTot += d * d;
			double c = e - errorMean;
			errorSs += c * c;
		}
		double mse = ssRes / n;
		Arrays.sort(absErrors);
		double median = (n % 2 == 1) ? absErrors[n / 2] : (absErrors[n / 2 - 1] + absErrors[n / 2]) / 2;
		return new RegressionMetrics(mse, Math.sqrt(mse), absSum / n, oneMinusRatio(ssRes, ssTot), median,
				oneMinusRatio(errorSs, ssTot));
	}

	/**
	 * The R^2 of {@link #regression}, bit for bit (the same sums in the same order),
	 * without the sort its median absolute error needs: permutation importance scores a
	 * model this way once per feature and repeat.
	 */
	public static double r2(double[] yTrue, double[] yPred) {
		int n = rows(yTrue, yPred);
		double mean = 0;
		for (int i = 0; i < n; i++) {
			mean += yTrue[i];
		}
		mean /= n;
		double ssRes = 0;
		double ssTot = 0;
		for (int i = 0; i < n; i++) {
			double e = yTrue[i] - yPred[i];
			ssRes += e * e;
			double d = yTrue[i] - mean;
			ssTot += d * d;
		}
		return oneMinusRatio(ssRes, ssTot);
	}

	/** The rows of a regression's actual and predicted values: as many, and some. */
	private static int rows(double[] yTrue, double[] yPred) {
		Objects.requireNonNull(yTrue, "yTrue");
		Objects.requireNonNull(yPred, "yPred");
		if (yTrue.length != yPred.length) {
			throw new IllegalArgumentException("yTrue and yPred differ in length");
		}
		if (yTrue.length == 0) {
			throw new IllegalArgumentException("no rows to evaluate");
		}
		return yTrue.length;
	}

	/**
	 * 1 - numerator/denominator, or (denominator 0) 1 for a perfect fit and 0 otherwise.
	 */
	private static double oneMinusRatio(double numerator, double denominator) {
		if (denominator == 0) {
			return numerator == 0 ? 1.0 : 0.0;
		}
		return 1.0 - numerator / denominator;
	}

	/**
	 * As {@link #classification(int[], double[][], List, double)} but predicting the
	 * argmax (ties to the lowest index), as scikit-learn's predict: for two labels that
	 * is p1 > p0, i.e. threshold 0.5 except that an exact tie p1 = 0.5 predicts class 0.
	 */
	public static ClassificationMetrics classification(int[] yTrue, double[][] proba, List<String> labels) {
		return classification(yTrue, proba, labels, Double.NaN);
	}

	/**
	 * yTrue class indices; proba[row][class]. Two labels: predicted = 1 when p1 >=
	 * threshold, else 0 (a NaN threshold means argmax, as the 3-argument form); more
	 * labels: argmax (ties -> lowest index), threshold ignored. Log loss with eps = 1e-15
	 * clipping, natural log. Precision of a class with no predictions = 0 (scikit-learn
	 * zero_division=0). Macro averages are over the classes that occur in yTrue or in the
	 * predictions (as scikit-learn); balanced accuracy is the mean recall over the
	 * classes that occur in yTrue (as scikit-learn's balanced_accuracy_score). Binary
	 * only, positive = class 1, null unless both classes occur in yTrue: rocAuc
	 * (Mann-Whitney with ties averaged), prAuc (average precision, as
	 * average_precision_score) and the {@link Curves}; none of them depends on the
	 * threshold.
	 */
	public static ClassificationMetrics classification(int[] yTrue, double[][] proba, List<String> labels,
			double threshold) {
		Objects.requireNonNull(yTrue, "yTrue");
		Objects.requireNonNull(proba, "proba");
		Objects.requireNonNull(labels, "labels");
		int n = yTrue.length;
		int k = labels.size();
		if (proba.length != n) {
			throw new IllegalArgumentException("yTrue and proba differ in length");
		}
		if (n == 0) {
			throw new IllegalArgumentException("no rows to evaluate");
		}
		if (k == 0) {
			throw new IllegalArgumentException("no labels");
		}
		boolean useThreshold = k == 2 && !Double.isNaN(threshold);
		long[][] confusion = new long[k][k];
		double logLossSum = 0;
		long correct = 0;
		for (int i = 0; i < n; i++) {
			int t = yTrue[i];
			double[] p = proba[i];
			if (t < 0 || t >= k) {
				throw new IllegalArgumentException("class index " + t + " out of range for " + k + " labels");
			}
			if (p == null || p.length != k) {
				throw new IllegalArgumentException("row " + i + " needs " + k + " probabilities");
			}
			int predicted = useThreshold ? (p[1] >= threshold ? 1 : 0) : argmax(p);
			confusion[t][predicted]++;
			if (predicted == t) {
				correct++;
			}
			logLossSum -= Math.log(clip(p[t]));
		}
		List<ClassMetrics> perClass = new ArrayList<>(k);
		double precisionSum = 0;
		double recallSum = 0;
		double f1Sum = 0;
		int present = 0;
		double trueRecallSum = 0;
		int truePresent = 0;
		for (int c = 0; c < k; c++) {
			long tp = confusion[c][c];
			long support = 0;
			long predictedCount = 0;
			for (int j = 0; j < k; j++) {
				support += confusion[c][j];
				predictedCount += confusion[j][c];
			}
			double precision = predictedCount == 0 ? 0.0 : (double) tp / predictedCount;
			double recall = support == 0 ? 0.0 : (double) tp / support;
			double f1 = (precision + recall == 0) ? 0.0 : 2 * precision * recall / (precision + recall);
			perClass.add(new ClassMetrics(labels.get(c), precision, recall, f1, support));
			if (support > 0 || predictedCount > 0) {
				precisionSum += precision;
				recallSum += recall;
				f1Sum += f1;
				present++;
			}
			if (support > 0) {
				trueRecallSum += recall;
				truePresent++;
			}
		}
		Double auc = null;
		Double averagePrecision = null;
		Curves curves = null;
		if (k == 2) {
			double[] p1 = new double[n];
			for (int i = 0; i < n; i++) {
				p1[i] = proba[i][1];
			}
			auc = rocAuc(yTrue, p1);
			averagePrecision = Curves.averagePrecision(yTrue, p1);
			curves = Curves.binary(yTrue, p1);
		}
		return new ClassificationMetrics((double) correct / n, trueRecallSum / truePresent, precisionSum / present,
				recallSum / present, f1Sum / present, logLossSum / n, auc, averagePrecision, List.copyOf(perClass),
				List.copyOf(labels), confusion, curves);
	}

	/**
	 * The threshold t among the distinct finite-clamped scores that maximises F1 of class
	 * 1 when predicting p1 >= t; ties go to the larger threshold (fewer positive
	 * predictions). 0.5 when F1 is undefined or 0 at every threshold (no row of class 1,
	 * or no rows). Matches the F1 of {@code classification(..., t)}.
	 */
	public static double bestF1Threshold(int[] yTrue, double[] p1) {
		Curves.Counts c = Curves.Counts.of(yTrue, p1);
		int m = c.thresholds().length;
		if (m == 0 || c.tps()[m - 1] == 0) {
			return 0.5;
		}
		long positives = c.tps()[m - 1];
		double bestF1 = 0;
		double best = 0.5;
		for (int i = 0; i < m; i++) { // decreasing thresholds, so strict '>' keeps the
										// larger one on ties
			long tp = c.tps()[i];
			double f1 = 2.0 * tp / (2.0 * tp + c.fps()[i] + (positives - tp));
			if (f1 > bestF1) {
				bestF1 = f1;
				best = c.thresholds()[i];
			}
		}
		return best;
	}

	/**
	 * The named metric of a {@link ClassificationMetrics} or {@link RegressionMetrics};
	 * NaN when the metric belongs to the other task or is undefined (null rocAuc /
	 * prAuc).
	 * @throws IllegalArgumentException for a name not in {@link #names} of either task,
	 * or another metrics type
	 */
	public static double score(Object metrics, String name) {
		checkName(name);
		if (metrics instanceof ClassificationMetrics m) {
			return switch (name) {
				case "accuracy" -> m.accuracy();
				case "balancedAccuracy" -> m.balancedAccuracy();
				case "precision" -> m.precision();
				case "recall" -> m.recall();
				case "f1" -> m.f1();
				case "logLoss" -> m.logLoss();
				case "rocAuc" -> m.rocAuc() == null ? Double.NaN : m.rocAuc();
				case "prAuc" -> m.prAuc() == null ? Double.NaN : m.prAuc();
				default -> Double.NaN;
			};
		}
		if (metrics instanceof RegressionMetrics m) {
			return switch (name) {
				case "mse" -> m.mse();
				case "rmse" -> m.rmse();
				case "mae" -> m.mae();
				case "r2" -> m.r2();
				case "medianAbsoluteError" -> m.medianAbsoluteError();
				case "explainedVariance" -> m.explainedVariance();
				default -> Double.NaN;
			};
		}
		throw new IllegalArgumentException(
				"not a metrics object: " + (metrics == null ? "null" : metrics.getClass().getSimpleName()));
	}

	/**
	 * False for the losses and errors (logLoss, mse, rmse, mae, medianAbsoluteError),
	 * true for the others.
	 */
	public static boolean higherIsBetter(String name) {
		checkName(name);
		return switch (name) {
			case "logLoss", "mse", "rmse", "mae", "medianAbsoluteError" -> false;
			default -> true;
		};
	}

	/** The metric names {@link #score} knows for a task. */
	public static List<String> names(Task task) {
		return switch (Objects.requireNonNull(task, "task")) {
			case CLASSIFICATION -> CLASSIFICATION_NAMES;
			case REGRESSION -> REGRESSION_NAMES;
			// clustering models are scored by their own metrics (ml.cluster)
			case CLUSTERING -> List.of();
		};
	}

	private static void checkName(String name) {
		if (name == null || !CLASSIFICATION_NAMES.contains(name) && !REGRESSION_NAMES.contains(name)) {
			throw new IllegalArgumentException(
					"unknown metric '" + name + "'; known: " + CLASSIFICATION_NAMES + ", " + REGRESSION_NAMES);
		}
	}

	/** Index of the largest value, ties to the lowest index (NaN never wins). */
	public static int argmax(double[] values) {
		int best = 0;
		for (int j = 1; j < values.length; j++) {
			if (values[j] > values[best] || Double.isNaN(values[best]) && !Double.isNaN(values[j])) {
				best = j;
			}
		}
		return best;
	}

	private static double clip(double p) {
		if (Double.isNaN(p)) {
			return LOG_LOSS_EPS;
		}
		return Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
	}

	/**
	 * Binary ROC AUC from the Mann-Whitney U statistic with average ranks for tied
	 * scores; null with one class.
	 */
	private static Double rocAuc(int[] yTrue, double[] p1) {
		int n = yTrue.length;
		long positives = 0;
		for (int t : yTrue) {
			if (t == 1) {
				positives++;
			}
		}
		long negatives = n - positives;
		if (positives == 0 || negatives == 0) {
			return null;
		}
		Integer[] order = new Integer[n];
		double[] scores = new double[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
			scores[i] = Double.isNaN(p1[i]) ? Double.NEGATIVE_INFINITY : p1[i];
		}
		Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
		double positiveRankSum = 0;
		int i = 0;
		while (i < n) {
			int j = i;
			while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
				j++;
			}
			double averageRank = (i + 1 + j + 1) / 2.0; // ranks are 1-based
			for (int m = i; m <= j; m++) {
				if (yTrue[order[m]] == 1) {
					positiveRankSum += averageRank;
				}
			}
			i = j + 1;
		}
		double u = positiveRankSum - positives * (positives + 1) / 2.0;
		return u / ((double) positives * negatives);
	}

}
