package io.fitserve.ml.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Binary ROC and precision-recall curves, both ordered by decreasing threshold (so fpr,
 * tpr and recall grow), as scikit-learn 1.2's roc_curve (drop_intermediate=True) and
 * precision_recall_curve. The first point of each uses the threshold max(score) + 1
 * (scikit-learn 1.2's choice, finite unlike the +inf of later versions): nothing is
 * predicted positive, so ROC (0, 0) and PR precision 1, recall 0. Lists longer than
 * {@link #MAX_POINTS} are thinned evenly by threshold rank, keeping both endpoints. Every
 * number is finite so the JSON stays valid.
 */
public record Curves(List<RocPoint> roc, List<PrPoint> precisionRecall) {

	/** Most points kept per curve. */
	public static final int MAX_POINTS = 101;

	public Curves {
		roc = List.copyOf(Objects.requireNonNull(roc, "roc"));
		precisionRecall = List.copyOf(Objects.requireNonNull(precisionRecall, "precisionRecall"));
	}

	/**
	 * Curves of positive = class 1 (yTrue == 1; anything else is negative) against
	 * scores; null when yTrue has no positive or no negative row (fpr or recall would be
	 * 0/0).
	 */
	public static Curves binary(int[] yTrue, double[] scores) {
		Counts c = Counts.of(yTrue, scores);
		int m = c.thresholds.length;
		if (m == 0) {
			return null;
		}
		long positives = c.tps[m - 1];
		long negatives = c.fps[m - 1];
		if (positives == 0 || negatives == 0) {
			return null;
		}
		double top = finite(c.thresholds[0] + 1);

		// ROC: drop points collinear with their neighbours (second differences of fps and
		// tps both 0)
		List<RocPoint> roc = new ArrayList<>();
		roc.add(new RocPoint(top, 0.0, 0.0));
		for (int i = 0; i < m; i++) {
			boolean keep = m <= 2 || i == 0 || i == m - 1 || c.fps[i - 1] - 2 * c.fps[i] + c.fps[i + 1] != 0
					|| c.tps[i - 1] - 2 * c.tps[i] + c.tps[i + 1] != 0;
			if (keep) {
				roc.add(new RocPoint(c.thresholds[i], (double) c.fps[i] / negatives, (double) c.tps[i] / positives));
			}
		}

		List<PrPoint> pr = new ArrayList<>(m + 1);
		pr.add(new PrPoint(top, 1.0, 0.0));
		for (int i = 0; i < m; i++) {
			pr.add(new PrPoint(c.thresholds[i], c.precision(i), (double) c.tps[i] / positives));
		}
		return new Curves(thin(roc, MAX_POINTS), thin(pr, MAX_POINTS));
	}

	/**
	 * scikit-learn's average_precision_score: sum over decreasing distinct thresholds of
	 * (R_i - R_{i-1}) * P_i with R_0 = 0 (no interpolation); null without positives or
	 * without negatives.
	 */
	static Double averagePrecision(int[] yTrue, double[] scores) {
		Counts c = Counts.of(yTrue, scores);
		int m = c.thresholds.length;
		if (m == 0 || c.tps[m - 1] == 0 || c.fps[m - 1] == 0) {
			return null;
		}
		double positives = c.tps[m - 1];
		double ap = 0;
		long previousTp = 0;
		for (int i = 0; i < m; i++) {
			ap += (c.tps[i] - previousTp) / positives * c.precision(i);
			previousTp = c.tps[i];
		}
		return ap;
	}

	/**
	 * Keeps at most max points: indices round(i (n-1)/(max-1)), which include 0 and n-1
	 * and are distinct.
	 */
	static <T> List<T> thin(List<T> points, int max) {
		int n = points.size();
		if (n <= max) {
			return points;
		}
		List<T> out = new ArrayList<>(max);
		for (int i = 0; i < max; i++) {
			out.add(points.get((int) Math.round((double) i * (n - 1) / (max - 1))));
		}
		return out;
	}

	/**
	 * Clamps to the finite doubles (NaN is treated as the lowest score, as in the
	 * ranking).
	 */
	static double finite(double v) {
		if (Double.isNaN(v)) {
			return -Double.MAX_VALUE;
		}
		return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, v));
	}

	/**
	 * scikit-learn's _binary_clf_curve: for each distinct score, in decreasing order, the
	 * counts of positive (tps) and negative (fps) rows with a score >= it. Scores are
	 * clamped by {@link #finite} first.
	 */
	record Counts(long[] fps, long[] tps, double[] thresholds) {

		static Counts of(int[] yTrue, double[] scores) {
			Objects.requireNonNull(yTrue, "yTrue");
			Objects.requireNonNull(scores, "scores");
			int n = yTrue.length;
			if (scores.length != n) {
				throw new IllegalArgumentException("yTrue and scores differ in length");
			}
			double[] s = new double[n];
			Integer[] order = new Integer[n];
			for (int i = 0; i < n; i++) {
				s[i] = finite(scores[i]);
				order[i] = i;
			}
			Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
			long[] fps = new long[n];
			long[] tps = new long[n];
			double[] thresholds = new double[n];
			int m = 0;
			long tp = 0;
			for (int r = 0; r < n; r++) {
				int row = order[r];
				if (yTrue[row] == 1) {
					tp++;
				}
				// close a group at the last row of each distinct score
				if (r == n - 1 || s[order[r + 1]] != s[row]) {
					tps[m] = tp;
					fps[m] = (r + 1) - tp;
					thresholds[m] = s[row];
					m++;
				}
			}
			return new Counts(Arrays.copyOf(fps, m), Arrays.copyOf(tps, m), Arrays.copyOf(thresholds, m));
		}

		/**
		 * tp / (tp + fp) at point i; never 0/0 since every point holds at least one row.
		 */
		double precision(int i) {
			return (double) tps[i] / (tps[i] + fps[i]);
		}

	}

}
