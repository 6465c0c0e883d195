package io.fitserve.ml.cluster;

import java.util.SplittableRandom;

/**
 * Internal and external clustering scores as scikit-learn defines them
 * ({@code sklearn.metrics}): silhouette and Davies-Bouldin on Euclidean distances, and
 * the adjusted Rand index and (normalized, adjusted) mutual information between two
 * labelings, in nats.
 */
public final class ClusterMetrics {

	private ClusterMetrics() {
	}

	/**
	 * Mean silhouette coefficient (silhouette_score): per row {@code (b - a) / max(a, b)}
	 * with a the mean distance to the other rows of its cluster and b the lowest mean
	 * distance to another cluster's rows; 0 for a row alone in its cluster. NaN with
	 * fewer than 2 or as many clusters as rows (scikit-learn refuses those).
	 */
	public static double silhouette(double[][] x, int[] labels) {
		int n = x.length;
		int k = clusters(labels);
		int present = 0;
		int[] sizes = new int[k];
		for (int label : labels) {
			if (sizes[label]++ == 0) {
				present++;
			}
		}
		if (present < 2 || present >= n) {
			return Double.NaN;
		}
		double total = 0;
		double[] sums = new double[k];
		for (int i = 0; i < n; i++) {
			java.util.Arrays.fill(sums, 0);
			for (int j = 0; j < n; j++) {
				if (j != i) {
					sums[labels[j]] += Math.sqrt(KMeans.squaredDistance(x[i], x[j]));
				}
			}
			int own = labels[i];
			if (sizes[own] <= 1) {
				continue;
			}
			double a = sums[own] / (sizes[own] - 1);
			double b = Double.POSITIVE_INFINITY;
			for (int c = 0; c < k; c++) {
				if (c != own && sizes[c] > 0) {
					b = Math.min(b, sums[c] / sizes[c]);
				}
			}
			double max = Math.max(a, b);
			total += (max > 0) ? (b - a) / max : 0;
		}
		return total / n;
	}

	/**
	 * The silhouette of a seeded sample of at most sampleSize rows (silhouette_score's
	 * sample_size: distances within the sample only); all rows when there are no more.
	 */
	public static double silhouette(double[][] x, int[] labels, int sampleSize, long seed) {
		if (x.length <= sampleSize) {
			return silhouette(x, labels);
		}
		int[] chosen = sample(x.length, sampleSize, seed);
		double[][] xs = new double[sampleSize][];
		int[] ls = new int[sampleSize];
		for (int i = 0; i < sampleSize; i++) {
			xs[i] = x[chosen[i]];
			ls[i] = labels[chosen[i]];
		}
		return silhouette(xs, ls);
	}

	/** sampleSize distinct indices below n (partial Fisher-Yates, seeded). */
	static int[] sample(int n, int sampleSize, long seed) {
		int[] indices = new int[n];
		for (int i = 0; i < n; i++) {
			indices[i] = i;
		}
		SplittableRandom random = new SplittableRandom(seed);
		for (int i = 0; i < sampleSize; i++) {
			int j = i + random.nextInt(n - i);
			int swap = indices[i];
			indices[i] = indices[j];
			indices[j] = swap;
		}
		return java.util.Arrays.copyOf(indices, sampleSize);
	}

	/**
	 * Davies-Bouldin index (davies_bouldin_score): the mean over clusters of the largest
	 * {@code (s_i + s_j) / d(c_i, c_j)}, with s the mean distance of a cluster's rows to
	 * its mean and d the distance between cluster means; 0 when every s or every d is 0.
	 * Clusters without rows are left out.
	 */
	public static double daviesBouldin(double[][] x, int[] labels) {
		int k = clusters(labels);
		int d = x[0].length;
		double[][] centroids = new double[k][d];
		int[] sizes = new int[k];
		for (int i = 0; i < x.length; i++) {
			sizes[labels[i]]++;
			for (int j = 0; j < d; j++) {
				centroids[labels[i]][j] += x[i][j];
			}
		}
		int present = 0;
		for (int c = 0; c < k; c++) {
			if (sizes[c] > 0) {
				present++;
				for (int j = 0; j < d; j++) {
					centroids[c][j] /= sizes[c];
				}
			}
		}
		if (present < 2) {
			return Double.NaN;
		}
		double[] intra = new double[k];
		for (int i = 0; i < x.length; i++) {
			intra[labels[i]] += Math.sqrt(KMeans.squaredDistance(x[i], centroids[labels[i]]));
		}
		boolean allIntraZero = true;
		boolean allCentroidZero = true;
		for (int c = 0; c < k; c++) {
			if (sizes[c] > 0) {
				intra[c] /= sizes[c];
				allIntraZero &= Math.abs(intra[c]) < 1e-15;
			}
		}
		double[][] between = new double[k][k];
		for (int a = 0; a < k; a++) {
			for (int b = 0; b < k; b++) {
				if (a != b && sizes[a] > 0 && sizes[b] > 0) {
					between[a][b] = Math.sqrt(KMeans.squaredDistance(centroids[a], centroids[b]));
					allCentroidZero &= Math.abs(between[a][b]) < 1e-15;
				}
			}
		}
		if (allIntraZero || allCentroidZero) {
			return 0;
		}
		double total = 0;
		for (int a = 0; a < k; a++) {
			if (sizes[a] == 0) {
				continue;
			}
			double worst = 0;
			for (int b = 0; b < k; b++) {
				if (b != a && sizes[b] > 0) {
					double dist = (between[a][b] == 0) ? Double.POSITIVE_INFINITY : between[a][b];
					worst = Math.max(worst, (intra[a] + intra[b]) / dist);
				}
			}
			total += worst;
		}
		return total / present;
	}

	/** The contingency table of two labelings (non-negative ints) of the same rows. */
	static long[][] contingency(int[] truth, int[] predicted) {
		if (truth.length != predicted.length) {
			throw new IllegalArgumentException(
					"the labelings have " + truth.length + " and " + predicted.length + " rows");
		}
		long[][] table = new long[clusters(truth)][clusters(predicted)];
		for (int i = 0; i < truth.length; i++) {
			table[truth[i]][predicted[i]]++;
		}
		return table;
	}

	/**
	 * Adjusted Rand index (adjusted_rand_score) from the pair confusion matrix: 1 for the
	 * same partition up to relabelling, about 0 for a random one.
	 */
	public static double adjustedRand(int[] truth, int[] predicted) {
		long[][] table = contingency(truth, predicted);
		double n = truth.length;
		double sumSquares = 0;
		double[] rows = new double[table.length];
		double[] cols = new double[table.length == 0 ? 0 : table[0].length];
		for (int r = 0; r < table.length; r++) {
			for (int c = 0; c < cols.length; c++) {
				double v = table[r][c];
				sumSquares += v * v;
				rows[r] += v;
				cols[c] += v;
			}
		}
		double rowSquares = 0;
		for (double v : rows) {
			rowSquares += v * v;
		}
		double colSquares = 0;
		for (double v : cols) {
			colSquares += v * v;
		}
		// ordered pairs: together in both, apart in truth only, apart in prediction only
		double tp = sumSquares - n;
		double fp = colSquares - sumSquares;
		double fn = rowSquares - sumSquares;
		double tn = n * n - fp - fn - sumSquares;
		if (fn == 0 && fp == 0) {
			return 1.0;
		}
		return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
	}

	/** Mutual information (mutual_info_score), in nats, never below 0. */
	public static double mutualInformation(int[] truth, int[] predicted) {
		return mutualInformation(contingency(truth, predicted), truth.length);
	}

	private static double mutualInformation(long[][] table, double n) {
		double[] rows = rowSums(table);
		double[] cols = colSums(table);
		double mi = 0;
		for (int r = 0; r < table.length; r++) {
			for (int c = 0; c < cols.length; c++) {
				if (table[r][c] > 0) {
					double nij = table[r][c];
					mi += nij / n * Math.log(n * nij / (rows[r] * cols[c]));
				}
			}
		}
		return Math.max(0, mi);
	}

	/** Entropy of a labeling in nats (0 for one label). */
	public static double entropy(int[] labels) {
		int[] counts = new int[clusters(labels)];
		for (int label : labels) {
			counts[label]++;
		}
		double n = labels.length;
		double h = 0;
		for (int count : counts) {
			if (count > 0) {
				h -= count / n * Math.log(count / n);
			}
		}
		return Math.max(0, h);
	}

	/**
	 * Normalized mutual information (normalized_mutual_info_score, arithmetic mean of the
	 * entropies): 1 when both labelings have a single label.
	 */
	public static double normalizedMutualInformation(int[] truth, int[] predicted) {
		if (singleOrNone(truth, predicted)) {
			return 1.0;
		}
		double mi = mutualInformation(truth, predicted);
		if (mi == 0) {
			return 0.0;
		}
		return mi / ((entropy(truth) + entropy(predicted)) / 2);
	}

	/**
	 * Adjusted mutual information (adjusted_mutual_info_score, arithmetic mean): (MI -
	 * E[MI]) / (mean entropy - E[MI]), with E[MI] under the hypergeometric model of
	 * random labelings of the same cluster sizes.
	 */
	public static double adjustedMutualInformation(int[] truth, int[] predicted) {
		if (singleOrNone(truth, predicted)) {
			return 1.0;
		}
		long[][] table = contingency(truth, predicted);
		double mi = mutualInformation(table, truth.length);
		double emi = expectedMutualInformation(table, truth.length);
		double normalizer = (entropy(truth) + entropy(predicted)) / 2;
		double denominator = normalizer - emi;
		double eps = Math.ulp(1.0);
		denominator = (denominator < 0) ? Math.min(denominator, -eps) : Math.max(denominator, eps);
		return (mi - emi) / denominator;
	}

	/**
	 * E[MI] of two random labelings with the table's row and column sums (scikit-learn's
	 * expected_mutual_information): a sum over the hypergeometric distribution of each
	 * cell, with log-factorials from one table of running log sums.
	 */
	static double expectedMutualInformation(long[][] table, int n) {
		double[] a = rowSums(table);
		double[] b = colSums(table);
		double[] logFactorial = new double[n + 1];
		for (int i = 1; i <= n; i++) {
			logFactorial[i] = logFactorial[i - 1] + Math.log(i);
		}
		double emi = 0;
		for (double ai : a) {
			if (ai == 0) {
				continue;
			}
			for (double bj : b) {
				if (bj == 0) {
					continue;
				}
				int ia = (int) ai;
				int jb = (int) bj;
				int start = Math.max(1, ia - n + jb);
				int end = Math.min(ia, jb);
				double fixed = logFactorial[ia] + logFactorial[jb] + logFactorial[n - ia] + logFactorial[n - jb]
						- logFactorial[n];
				for (int nij = start; nij <= end; nij++) {
					double term2 = Math.log((double) n * nij / (ai * bj));
					double gln = fixed - logFactorial[nij] - logFactorial[ia - nij] - logFactorial[jb - nij]
							- logFactorial[n - ia - jb + nij];
					emi += (double) nij / n * term2 * Math.exp(gln);
				}
			}
		}
		return emi;
	}

	private static boolean singleOrNone(int[] truth, int[] predicted) {
		int t = distinct(truth);
		int p = distinct(predicted);
		return t == p && (t == 1 || t == 0);
	}

	private static int distinct(int[] labels) {
		boolean[] seen = new boolean[clusters(labels)];
		int count = 0;
		for (int label : labels) {
			if (!seen[label]) {
				seen[label] = true;
				count++;
			}
		}
		return count;
	}

	private static int clusters(int[] labels) {
		int max = -1;
		for (int label : labels) {
			if (label < 0) {
				throw new IllegalArgumentException("labels must be non-negative");
			}
			max = Math.max(max, label);
		}
		return max + 1;
	}

	private static double[] rowSums(long[][] table) {
		double[] sums = new double[table.length];
		for (int r = 0; r < table.length; r++) {
			for (long v : table[r]) {
				sums[r] += v;
			}
		}
		return sums;
	}

	private static double[] colSums(long[][] table) {
		double[] sums = new double[table.length == 0 ? 0 : table[0].length];
		for (long[] row : table) {
			for (int c = 0; c < sums.length; c++) {
				sums[c] += row[c];
			}
		}
		return sums;
	}

}
