package io.fitserve.ml.trees;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Maps raw feature values to small integer bins, as scikit-learn's {@code _BinMapper}:
 * per numeric feature up to {@code maxBins} bins whose edges are midpoints between the
 * distinct values (when there are at most {@code maxBins} of them) or midpoint quantiles
 * of (a subsample of up to 200,000 rows of) the training data; one extra bin (index
 * {@code maxBins}) holds missing values. A categorical feature's bin is its code; codes
 * never seen in training, out of range or NaN go to the missing bin.
 */
public final class Binner {

	/** Rows used to compute the quantile edges (scikit-learn's subsample). */
	public static final int SUBSAMPLE = 200_000;

	private final int maxBins;

	private final double[][] edges;

	private final int[] nonMissingBins;

	private final boolean[] categorical;

	private final long[][] knownCategories;

	private Binner(int maxBins, double[][] edges, int[] nonMissingBins, boolean[] categorical,
			long[][] knownCategories) {
		this.maxBins = maxBins;
		this.edges = edges;
		this.nonMissingBins = nonMissingBins;
		this.categorical = categorical;
		this.knownCategories = knownCategories;
	}

	/**
	 * Computes the bin edges from the training columns.
	 * @param columns {@code [feature][row]}
	 * @param kinds which features are categorical
	 * @param maxBins 2..255 bins for non-missing values
	 * @param seed seeds the row subsample (only used with more than 200,000 rows)
	 */
	public static Binner fit(double[][] columns, FeatureKinds kinds, int maxBins, long seed) {
		if (maxBins < 2 || maxBins > 255) {
			throw new IllegalArgumentException("maxBins must be in 2..255, got " + maxBins);
		}
		if (kinds.size() != columns.length) {
			throw new IllegalArgumentException(
					"FeatureKinds has " + kinds.size() + " features, the data has " + columns.length);
		}
		int n = columns[0].length;
		int[] sample = null;
		if (n > SUBSAMPLE) {
			SplittableRandom rng = new SplittableRandom(seed);
			int[] perm = new int[n];
			for (int i = 0; i < n; i++) {
				perm[i] = i;
			}
			for (int i = 0; i < SUBSAMPLE; i++) {
				int j = i + rng.nextInt(n - i);
				int t = perm[i];
				perm[i] = perm[j];
				perm[j] = t;
			}
			sample = Arrays.copyOf(perm, SUBSAMPLE);
			Arrays.sort(sample);
		}
		int features = columns.length;
		double[][] edges = new double[features][];
		int[] nonMissing = new int[features];
		long[][] known = new long[features][];
		for (int f = 0; f < features; f++) {
			double[] col = columns[f];
			if (kinds.categorical()[f]) {
				int k = kinds.categoryCounts()[f];
				if (k > maxBins) {
					throw new IllegalArgumentException(
							"categorical feature " + f + " has " + k + " categories, more than maxBins=" + maxBins);
				}
				long[] bits = new long[(k + 63) >>> 6];
				for (double v : col) {
					int code = code(v, k);
					if (code >= 0) {
						bits[code >>> 6] |= 1L << code;
					}
				}
				known[f] = bits;
				nonMissing[f] = k;
				edges[f] = new double[0];
				continue;
			}
			double[] values;
			int m = 0;
			if (sample == null) {
				values = new double[n];
				for (double v : col) {
					if (!Double.isNaN(v)) {
						values[m++] = v;
					}
				}
			}
			else {
				values = new double[sample.length];
				for (int r : sample) {
					double v = col[r];
					if (!Double.isNaN(v)) {
						values[m++] = v;
					}
				}
			}
			values = Arrays.copyOf(values, m);
			Arrays.sort(values);
			edges[f] = thresholds(values, maxBins);
			nonMissing[f] = edges[f].length + 1;
		}
		return new Binner(maxBins, edges, nonMissing, kinds.categorical().clone(), known);
	}

	/** scikit-learn's {@code _find_binning_thresholds} on sorted non-missing values. */
	static double[] thresholds(double[] sorted, int maxBins) {
		int m = sorted.length;
		int distinct = 0;
		for (int i = 0; i < m; i++) {
			if (i == 0 || sorted[i] != sorted[i - 1]) {
				distinct++;
			}
		}
		double[] mids;
		if (distinct <= maxBins) {
			double[] uniq = new double[distinct];
			int u = 0;
			for (int i = 0; i < m; i++) {
				if (i == 0 || sorted[i] != sorted[i - 1]) {
					uniq[u++] = sorted[i];
				}
			}
			mids = new double[Math.max(0, distinct - 1)];
			for (int i = 0; i + 1 < distinct; i++) {
				mids[i] = (uniq[i] + uniq[i + 1]) * 0.5;
			}
		}
		else {
			// numpy.percentile(values, linspace(0, 100, maxBins + 1)[1:-1],
			// method="midpoint")
			mids = new double[maxBins - 1];
			double step = 100.0 / maxBins;
			for (int i = 1; i < maxBins; i++) {
				double q = (i * step) / 100.0;
				double vi = (m - 1) * q;
				int lo = (int) Math.floor(vi);
				int hi = (int) Math.ceil(vi);
				mids[i - 1] = (lo == hi) ? sorted[lo] : (sorted[lo] + sorted[hi]) * 0.5;
			}
		}
		for (int i = 0; i < mids.length; i++) {
			if (mids[i] > Double.MAX_VALUE) {
				mids[i] = Double.MAX_VALUE;
			}
		}
		return mids;
	}

	static int code(double v, int k) {
		if (!(v >= 0) || v >= k || v != Math.rint(v)) {
			return -1;
		}
		return (int) v;
	}

	/** The bin of a raw value (the missing bin for NaN and unknown categories). */
	public int bin(int feature, double v) {
		if (this.categorical[feature]) {
			int code = code(v, this.nonMissingBins[feature]);
			if (code < 0 || (this.knownCategories[feature][code >>> 6] & (1L << code)) == 0) {
				return this.maxBins;
			}
			return code;
		}
		if (Double.isNaN(v)) {
			return this.maxBins;
		}
		double[] e = this.edges[feature];
		int lo = 0;
		int hi = e.length;
		while (lo < hi) {
			int mid = (lo + hi) >>> 1;
			if (v <= e[mid]) {
				hi = mid;
			}
			else {
				lo = mid + 1;
			}
		}
		return lo;
	}

	/** Bins all columns (parallel over features). */
	BinnedData transform(double[][] columns, Parallel parallel) {
		int n = columns[0].length;
		byte[][] bins = new byte[columns.length][];
		parallel.forEach(columns.length, n > 2000, (f) -> {
			byte[] b = new byte[n];
			double[] col = columns[f];
			for (int r = 0; r < n; r++) {
				b[r] = (byte) bin(f, col[r]);
			}
			bins[f] = b;
		});
		return new BinnedData(bins, n, this.maxBins);
	}

	public int maxBins() {
		return this.maxBins;
	}

	/** The missing-value bin index (= maxBins). */
	public int missingBin() {
		return this.maxBins;
	}

	public int features() {
		return this.edges.length;
	}

	/** Bins used by non-missing values of a feature. */
	public int nonMissingBins(int feature) {
		return this.nonMissingBins[feature];
	}

	public boolean categorical(int feature) {
		return this.categorical[feature];
	}

	/** The upper edge of a non-missing bin (values {@code <=} it fall in it or below). */
	public double upperEdge(int feature, int bin) {
		double[] e = this.edges[feature];
		return (bin >= e.length) ? Double.POSITIVE_INFINITY : e[bin];
	}

	/** Copy of a numeric feature's edges. */
	public double[] edges(int feature) {
		return this.edges[feature].clone();
	}

	/** Per feature the bitset of category codes seen in training (null for numeric). */
	long[][] knownCategories() {
		long[][] copy = new long[this.knownCategories.length][];
		for (int f = 0; f < copy.length; f++) {
			copy[f] = (this.knownCategories[f] == null) ? null : this.knownCategories[f].clone();
		}
		return copy;
	}

	/**
	 * Binned columns: {@code bins[feature][row]} as unsigned bytes; value
	 * {@code missingBin} marks missing.
	 */
	record BinnedData(byte[][] bins, int rows, int missingBin) {
	}

}
