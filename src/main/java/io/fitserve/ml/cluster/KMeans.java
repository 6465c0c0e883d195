package io.fitserve.ml.cluster;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * k-means as scikit-learn's {@code KMeans(init="k-means++", algorithm="lloyd")}: greedy
 * k-means++ seeding with {@code 2 + floor(ln k)} local trials per centroid, Lloyd
 * iterations until the labels stop changing or the summed squared centroid shift is at
 * most {@code tol * mean(feature variances)}, empty clusters moved to the rows farthest
 * from their centroid, and after a stop on tolerance one more assignment so the labels
 * match the returned centroids. Of {@code nInit} restarts the lowest inertia wins (the
 * first on a tie).
 * <p>
 * Deterministic for a seed: restart r draws from {@code new SplittableRandom(seed)}'s
 * r-th split. The random numbers are not numpy's, so a fit matches scikit-learn's in
 * inertia and partition, not in its initial centroids.
 */
public final class KMeans {

	private KMeans() {
	}

	/** Fits without cancellation. */
	public static KMeansModel fit(double[][] x, KMeansParams params) {
		return fit(x, params, () -> false);
	}

	/**
	 * Fits on the rows of x (all of the same width).
	 * @param cancelled polled once per Lloyd iteration; true throws
	 * {@link CancellationException}
	 */
	public static KMeansModel fit(double[][] x, KMeansParams params, BooleanSupplier cancelled) {
		int n = x.length;
		if (n < params.k()) {
			throw new IllegalArgumentException(n + " rows cannot form " + params.k() + " clusters");
		}
		double tolerance = params.tol() * meanVariance(x);
		SplittableRandom master = new SplittableRandom(params.seed());
		KMeansModel best = null;
		for (int run = 0; run < params.nInit(); run++) {
			SplittableRandom random = master.split();
			double[][] centroids = plusPlus(x, params.k(), random);
			KMeansModel model = lloyd(x, centroids, params.maxIter(), tolerance, cancelled);
			if (best == null || model.inertia() < best.inertia()) {
				best = model;
			}
		}
		return best;
	}

	/** scikit-learn's _tolerance: the mean of the per-feature (population) variances. */
	static double meanVariance(double[][] x) {
		int d = x[0].length;
		double total = 0;
		for (int j = 0; j < d; j++) {
			double mean = 0;
			for (double[] row : x) {
				mean += row[j];
			}
			mean /= x.length;
			double ss = 0;
			for (double[] row : x) {
				double diff = row[j] - mean;
				ss += diff * diff;
			}
			total += ss / x.length;
		}
		return (d == 0) ? 0 : total / d;
	}

	/**
	 * Greedy k-means++ (scikit-learn's _kmeans_plusplus): the first centroid a uniform
	 * row; each next one the best, by the resulting potential (sum of squared distances
	 * to the closest centroid), of {@code 2 + floor(ln k)} rows drawn with probability
	 * proportional to their current squared distance.
	 */
	static double[][] plusPlus(double[][] x, int k, SplittableRandom random) {
		int n = x.length;
		int trials = 2 + (int) Math.log(k);
		double[][] centroids = new double[k][];
		centroids[0] = x[random.nextInt(n)].clone();
		double[] closest = new double[n];
		double potential = 0;
		for (int i = 0; i < n; i++) {
			closest[i] = squaredDistance(x[i], centroids[0]);
			potential += closest[i];
		}
		double[] cumulative = new double[n];
		double[] candidateDistances = new double[n];
		double[] bestDistances = new double[n];
		for (int c = 1; c < k; c++) {
			double running = 0;
			for (int i = 0; i < n; i++) {
				running += closest[i];
				cumulative[i] = running;
			}
			int bestCandidate = -1;
			double bestPotential = Double.POSITIVE_INFINITY;
			for (int t = 0; t < trials; t++) {
				int candidate = draw(cumulative, random.nextDouble() * running, random, n);
				double candidatePotential = 0;
				for (int i = 0; i < n; i++) {
					candidateDistances[i] = Math.min(closest[i], squaredDistance(x[i], x[candidate]));
					candidatePotential += candidateDistances[i];
				}
				if (candidatePotential < bestPotential) {
					bestPotential = candidatePotential;
					bestCandidate = candidate;
					System.arraycopy(candidateDistances, 0, bestDistances, 0, n);
				}
			}
			centroids[c] = x[bestCandidate].clone();
			System.arraycopy(bestDistances, 0, closest, 0, n);
		}
		return centroids;
	}

	/**
	 * The first row whose cumulative weight exceeds value (numpy's searchsorted, right);
	 * when every row sits on a centroid already (no weight left) a uniform row.
	 */
	private static int draw(double[] cumulative, double value, SplittableRandom random, int n) {
		if (!(cumulative[n - 1] > 0)) {
			return random.nextInt(n);
		}
		int lo = 0;
		int hi = n - 1;
		while (lo < hi) {
			int mid = (lo + hi) >>> 1;
			if (cumulative[mid] > value) {
				hi = mid;
			}
			else {
				lo = mid + 1;
			}
		}
		return lo;
	}

	/** Lloyd iterations from the given centroids (which it replaces). */
	static KMeansModel lloyd(double[][] x, double[][] start, int maxIter, double tolerance, BooleanSupplier cancelled) {
		int n = x.length;
		int k = start.length;
		int d = x[0].length;
		double[][] centroids = start;
		int[] labels = new int[n];
		Arrays.fill(labels, -1);
		int[] previous = new int[n];
		double[] distances = new double[n];
		boolean strict = false;
		int iterations = 0;
		for (int iter = 0; iter < maxIter; iter++) {
			if (cancelled.getAsBoolean()) {
				throw new CancellationException("k-means was cancelled");
			}
			System.arraycopy(labels, 0, previous, 0, n);
			assign(x, centroids, labels, distances);
			double[][] updated = means(x, labels, k, d);
			relocateEmpty(x, labels, centroids, distances, updated);
			double shift = 0;
			for (int c = 0; c < k; c++) {
				shift += squaredDistance(centroids[c], updated[c]);
			}
			centroids = updated;
			iterations = iter + 1;
			if (Arrays.equals(labels, previous)) {
				strict = true;
				break;
			}
			if (shift <= tolerance) {
				break;
			}
		}
		if (!strict) {
			assign(x, centroids, labels, distances);
		}
		return new KMeansModel(centroids, labels, inertia(x, centroids, labels), iterations);
	}

	/**
	 * Moves the centroid of each empty cluster to the row farthest from its own centroid
	 * (farthest first, each row used once), as scikit-learn's _relocate_empty_clusters,
	 * and takes that row out of its old cluster's mean.
	 */
	private static void relocateEmpty(double[][] x, int[] labels, double[][] old, double[] distances,
			double[][] updated) {
		int k = updated.length;
		int[] sizes = new int[k];
		for (int label : labels) {
			sizes[label]++;
		}
		int empty = 0;
		for (int size : sizes) {
			if (size == 0) {
				empty++;
			}
		}
		if (empty == 0) {
			return;
		}
		Integer[] order = new Integer[x.length];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (a, b) -> Double.compare(distances[b], distances[a]));
		int next = 0;
		for (int c = 0; c < k; c++) {
			if (sizes[c] != 0) {
				continue;
			}
			int row = order[next++];
			int from = labels[row];
			// the old cluster's mean without this row
			int size = sizes[from];
			if (size > 1) {
				for (int j = 0; j < x[row].length; j++) {
					updated[from][j] = (updated[from][j] * size - x[row][j]) / (size - 1);
				}
			}
			sizes[from]--;
			sizes[c] = 1;
			labels[row] = c;
			updated[c] = x[row].clone();
		}
	}

	/** Sets each row's label to its closest centroid and its squared distance. */
	static void assign(double[][] x, double[][] centroids, int[] labels, double[] distances) {
		for (int i = 0; i < x.length; i++) {
			int best = 0;
			double bestDistance = Double.POSITIVE_INFINITY;
			for (int c = 0; c < centroids.length; c++) {
				double dist = squaredDistance(x[i], centroids[c]);
				if (dist < bestDistance) {
					bestDistance = dist;
					best = c;
				}
			}
			labels[i] = best;
			distances[i] = bestDistance;
		}
	}

	private static double[][] means(double[][] x, int[] labels, int k, int d) {
		double[][] sums = new double[k][d];
		int[] counts = new int[k];
		for (int i = 0; i < x.length; i++) {
			double[] sum = sums[labels[i]];
			for (int j = 0; j < d; j++) {
				sum[j] += x[i][j];
			}
			counts[labels[i]]++;
		}
		for (int c = 0; c < k; c++) {
			if (counts[c] > 0) {
				for (int j = 0; j < d; j++) {
					sums[c][j] /= counts[c];
				}
			}
		}
		return sums;
	}

	/** Sum of squared distances of the rows to their cluster's centroid. */
	public static double inertia(double[][] x, double[][] centroids, int[] labels) {
		double total = 0;
		for (int i = 0; i < x.length; i++) {
			total += squaredDistance(x[i], centroids[labels[i]]);
		}
		return total;
	}

	/** The closest centroid's index (the lowest on a tie). */
	public static int closest(double[][] centroids, double[] x) {
		int best = 0;
		double bestDistance = Double.POSITIVE_INFINITY;
		for (int c = 0; c < centroids.length; c++) {
			double dist = squaredDistance(x, centroids[c]);
			if (dist < bestDistance) {
				bestDistance = dist;
				best = c;
			}
		}
		return best;
	}

	public static double squaredDistance(double[] a, double[] b) {
		double sum = 0;
		for (int j = 0; j < a.length; j++) {
			double diff = a[j] - b[j];
			sum += diff * diff;
		}
		return sum;
	}

}
