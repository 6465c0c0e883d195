package io.fitserve.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Evaluation metrics for regression and classification, matching scikit-learn's definitions. */
public final class Metrics {

	/** Probabilities are clipped to [EPS, 1 - EPS] for the log loss. */
	public static final double LOG_LOSS_EPS = 1e-15;

	private Metrics() {
	}

	/** MSE, RMSE, MAE and R^2 = 1 - SSres/SStot (when SStot = 0: 1 if SSres = 0, else 0). */
	public static RegressionMetrics regression(double[] yTrue, double[] yPred) {
		Objects.requireNonNull(yTrue, "yTrue");
		Objects.requireNonNull(yPred, "yPred");
		if (yTrue.length != yPred.length) {
			throw new IllegalArgumentException("yTrue and yPred differ in length");
		}
		int n = yTrue.length;
		if (n == 0) {
			throw new IllegalArgumentException("no rows to evaluate");
		}
		double mean = 0;
		for (double y : yTrue) {
			mean += y;
		}
		mean /= n;
		double ssRes = 0;
		double absSum = 0;
		double ssTot = 0;
		for (int i = 0; i < n; i++) {
			double e = yTrue[i] - yPred[i];
			ssRes += e * e;
			absSum += Math.abs(e);
			double d = yTrue[i] - mean;
			ssTot += d * d;
		}
		double mse = ssRes / n;
		double r2 = (ssTot == 0) ? (ssRes == 0 ? 1.0 : 0.0) : 1.0 - ssRes / ssTot;
		return new RegressionMetrics(mse, Math.sqrt(mse), absSum / n, r2);
	}

	/**
	 * yTrue class indices; proba[row][class]; predicted = argmax (ties -> lowest index). Log loss with eps = 1e-15
	 * clipping, natural log. Precision of a class with no predictions = 0 (scikit-learn zero_division=0). Macro
	 * averages are over the classes that occur in yTrue or in the predictions (as scikit-learn). rocAuc:
	 * Mann-Whitney with ties averaged, positive = class 1; only for 2 labels and when both occur in yTrue, else null.
	 */
	public static ClassificationMetrics classification(int[] yTrue, double[][] proba, List<String> labels) {
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
			int predicted = argmax(p);
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
		}
		Double auc = (k == 2) ? rocAuc(yTrue, proba) : null;
		return new ClassificationMetrics((double) correct / n, precisionSum / present, recallSum / present,
				f1Sum / present, logLossSum / n, auc, List.copyOf(perClass), List.copyOf(labels), confusion);
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

	/** Binary ROC AUC from the Mann-Whitney U statistic with average ranks for tied scores; null with one class. */
	private static Double rocAuc(int[] yTrue, double[][] proba) {
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
			scores[i] = Double.isNaN(proba[i][1]) ? Double.NEGATIVE_INFINITY : proba[i][1];
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
