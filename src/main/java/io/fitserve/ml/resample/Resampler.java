package io.fitserve.ml.resample;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;

/**
 * Rebalances the classes of training rows as imbalanced-learn's samplers do, with its
 * float {@code sampling_strategy} as the ratio: {@code RandomOverSampler} and
 * {@code SMOTE} raise every class below {@code floor(ratio x largest class)} rows to that
 * count, {@code RandomUnderSampler} cuts every class above
 * {@code floor(smallest class / ratio)} rows down to it. Over-sampling repeats rows drawn
 * with replacement; under-sampling keeps rows drawn without replacement, in their order.
 * SMOTE draws a row of the class and one of its k nearest neighbours within the class
 * (Euclidean, in the standardized, one-hot encoded space), and puts the new row at a
 * uniform gap on the segment between them; a categorical feature takes the category most
 * of the row's k neighbours have (SMOTE-NC; ties to the first category). Every draw comes
 * from the seed, so the same rows and seed give the same plan.
 */
public final class Resampler {

	private static final long SALT = 0x2e5a_3b1e_d0c4_7f19L;

	/** Guards a ratio computed as ratio x count against 0.1 x 50 = 4.999...9. */
	private static final double EPS = 1e-9;

	private Resampler() {
	}

	/**
	 * The rows each class has after resampling counts: a class with no row stays at none.
	 */
	public static int[] targetCounts(ResampleMethod method, double ratio, int[] counts) {
		checkRatio(ratio);
		int[] out = counts.clone();
		switch (method) {
			case NONE -> {
			}
			case OVERSAMPLE, SMOTE -> {
				int largest = Arrays.stream(counts).max().orElse(0);
				int goal = (int) Math.floor(ratio * largest + EPS);
				for (int c = 0; c < out.length; c++) {
					if (counts[c] > 0 && counts[c] < goal) {
						out[c] = goal;
					}
				}
			}
			case UNDERSAMPLE -> {
				int smallest = Arrays.stream(counts).filter(n -> n > 0).min().orElse(0);
				int goal = (int) Math.floor(smallest / ratio + EPS);
				for (int c = 0; c < out.length; c++) {
					if (counts[c] > goal) {
						out[c] = goal;
					}
				}
			}
		}
		return out;
	}

	/** Rows per class. */
	public static int[] counts(int[] classes, int numClasses) {
		int[] counts = new int[numClasses];
		for (int c : classes) {
			counts[c]++;
		}
		return counts;
	}

	/**
	 * The plan of none, oversample or undersample on rows of these classes (SMOTE needs
	 * the rows themselves: {@link #smote}).
	 */
	public static ResamplePlan plan(ResampleMethod method, double ratio, int[] classes, int numClasses, long seed) {
		if (method == ResampleMethod.SMOTE) {
			throw new IllegalArgumentException("SMOTE needs the encoded rows");
		}
		int[] before = counts(classes, numClasses);
		int[] after = targetCounts(method, ratio, before);
		int[][] positions = positionsByClass(classes, before);
		SplittableRandom random = new SplittableRandom(seed ^ SALT);
		int[] base;
		if (method == ResampleMethod.UNDERSAMPLE) {
			boolean[] keep = new boolean[classes.length];
			for (int c = 0; c < numClasses; c++) {
				int[] p = positions[c].clone();
				if (after[c] == before[c]) {
					for (int i : p) {
						keep[i] = true;
					}
					continue;
				}
				// the first after[c] of a partial Fisher-Yates shuffle: drawn without
				// replacement
				for (int i = 0; i < after[c]; i++) {
					int j = i + random.nextInt(p.length - i);
					int t = p[i];
					p[i] = p[j];
					p[j] = t;
					keep[p[i]] = true;
				}
			}
			base = new int[Arrays.stream(after).sum()];
			int k = 0;
			for (int i = 0; i < classes.length; i++) {
				if (keep[i]) {
					base[k++] = i;
				}
			}
		}
		else {
			base = Arrays.copyOf(identity(classes.length), Arrays.stream(after).sum());
			int k = classes.length;
			for (int c = 0; c < numClasses; c++) {
				for (int added = before[c]; added < after[c]; added++) {
					base[k++] = positions[c][random.nextInt(before[c])];
				}
			}
		}
		int[] partner = new int[base.length];
		Arrays.fill(partner, -1);
		return new ResamplePlan(method, base, partner, new double[base.length], new int[base.length][], 0, before,
				after);
	}

	/**
	 * SMOTE on encoded rows: x has one row per class entry, encoded by standard (its
	 * standardized numbers and one-hot categories are the space neighbours are measured
	 * in). The rows come first as they are, then the synthetic rows class by class.
	 * @param k neighbours per row; every class SMOTE raises needs more than k rows
	 * @throws IllegalArgumentException when a class to raise has k rows or fewer
	 */
	public static ResamplePlan smote(double ratio, int k, int[] classes, int numClasses, DenseRows x,
			Preprocessing standard, long seed) {
		Objects.requireNonNull(x, "x");
		if (x.rows() != classes.length) {
			throw new IllegalArgumentException(x.rows() + " encoded rows for " + classes.length + " classes");
		}
		if (k < 1) {
			throw new IllegalArgumentException("k must be at least 1");
		}
		Layout layout = Layout.of(standard, x.cols());
		int[] before = counts(classes, numClasses);
		int[] after = targetCounts(ResampleMethod.SMOTE, ratio, before);
		for (int c = 0; c < numClasses; c++) {
			if (after[c] > before[c] && before[c] <= k) {
				throw new IllegalArgumentException("class " + c + " has " + before[c] + " row(s); SMOTE with " + k
						+ " neighbours needs at least " + (k + 1));
			}
		}
		int total = Arrays.stream(after).sum();
		int[] base = Arrays.copyOf(identity(classes.length), total);
		int[] partner = new int[total];
		Arrays.fill(partner, 0, classes.length, -1);
		double[] gap = new double[total];
		int[][] categories = new int[total][];
		int[][] positions = positionsByClass(classes, before);
		SplittableRandom random = new SplittableRandom(seed ^ SALT);
		int next = classes.length;
		for (int c = 0; c < numClasses; c++) {
			int wanted = after[c] - before[c];
			if (wanted <= 0) {
				continue;
			}
			int[] p = positions[c];
			int[][] neighbours = nearest(x, p, k);
			int[][] majority = new int[p.length][];
			for (int s = 0; s < wanted; s++) {
				// uniform over (row, neighbour) pairs, as imbalanced-learn draws them
				int pick = random.nextInt(p.length * k);
				int row = pick / k;
				int nn = neighbours[row][pick % k];
				if (majority[row] == null) {
					majority[row] = majority(x, p, neighbours[row], layout);
				}
				base[next] = p[row];
				partner[next] = p[nn];
				gap[next] = random.nextDouble();
				categories[next] = majority[row];
				next++;
			}
		}
		return new ResamplePlan(ResampleMethod.SMOTE, base, partner, gap, categories, k, before, after);
	}

	/**
	 * The rows of a plan made on x, encoded the same way (standardized, one-hot):
	 * synthetic rows interpolate the numeric columns and set one category per categorical
	 * feature.
	 */
	public static DenseRows apply(ResamplePlan plan, DenseRows x, Preprocessing standard) {
		Layout layout = Layout.of(standard, x.cols());
		int w = x.cols();
		DenseRows result = DenseRows.allocate(plan.rows(), w);
		for (int i = 0; i < plan.rows(); i++) {
			double[] out = result.arrayOf(i);
			int o = result.offset(i);
			if (!plan.synthetic(i)) {
				x.copyRow(plan.base()[i], out, o);
				continue;
			}
			double[] in = x.arrayOf(plan.base()[i]);
			int a = x.offset(plan.base()[i]);
			double[] partner = x.arrayOf(plan.partner()[i]);
			int b = x.offset(plan.partner()[i]);
			double g = plan.gap()[i];
			for (int f = 0; f < layout.start.length; f++) {
				int s = layout.start[f];
				if (layout.categorical[f]) {
					int category = plan.categories()[i][f];
					if (category >= 0) {
						out[o + s + category] = 1.0;
					}
				}
				else {
					out[o + s] = in[a + s] + g * (partner[b + s] - in[a + s]);
				}
			}
		}
		return result;
	}

	/**
	 * The rows of a plan on the ordinal encoding trees train on (one raw column per
	 * feature, a category as its index, missing as NaN; row-major): synthetic rows
	 * interpolate the numbers, a missing one counting as standard's training mean (as it
	 * did for the neighbours), so they have no missing value, and take the category the
	 * plan chose.
	 */
	public static double[][] applyOrdinal(ResamplePlan plan, double[][] ordinalRows, Preprocessing standard) {
		List<FeatureTransform> features = standard.features();
		double[][] out = new double[plan.rows()][];
		for (int i = 0; i < plan.rows(); i++) {
			double[] a = ordinalRows[plan.base()[i]];
			if (!plan.synthetic(i)) {
				out[i] = a.clone();
				continue;
			}
			double[] b = ordinalRows[plan.partner()[i]];
			double g = plan.gap()[i];
			double[] row = new double[a.length];
			for (int f = 0; f < features.size(); f++) {
				FeatureTransform t = features.get(f);
				if (t.numericFeature()) {
					double va = Double.isNaN(a[f]) ? t.mean() : a[f];
					double vb = Double.isNaN(b[f]) ? t.mean() : b[f];
					row[f] = va + g * (vb - va);
				}
				else {
					int category = plan.categories()[i][f];
					row[f] = category >= 0 ? category : Double.NaN;
				}
			}
			out[i] = row;
		}
		return out;
	}

	/**
	 * The k nearest other rows of each of the rows at positions p (indices into p),
	 * nearest first, ties to the earlier row: brute force, rows² x width.
	 */
	static int[][] nearest(DenseRows x, int[] p, int k) {
		int w = x.cols();
		double[] data = x.flat();
		int[][] out = new int[p.length][];
		double[] bestD = new double[k];
		int[] bestJ = new int[k];
		for (int i = 0; i < p.length; i++) {
			Arrays.fill(bestD, Double.POSITIVE_INFINITY);
			Arrays.fill(bestJ, -1);
			int oi = p[i] * w;
			for (int j = 0; j < p.length; j++) {
				if (j == i) {
					continue;
				}
				int oj = p[j] * w;
				double d = 0;
				for (int col = 0; col < w; col++) {
					double diff = data[oi + col] - data[oj + col];
					d += diff * diff;
				}
				if (d < bestD[k - 1]) {
					int at = k - 1;
					while (at > 0 && bestD[at - 1] > d) {
						bestD[at] = bestD[at - 1];
						bestJ[at] = bestJ[at - 1];
						at--;
					}
					bestD[at] = d;
					bestJ[at] = j;
				}
			}
			out[i] = bestJ.clone();
		}
		return out;
	}

	/**
	 * Per feature, the category most of the neighbours have (first category on a tie); -1
	 * for numeric features.
	 */
	private static int[] majority(DenseRows x, int[] p, int[] neighbours, Layout layout) {
		int w = x.cols();
		double[] data = x.flat();
		int[] out = new int[layout.start.length];
		for (int f = 0; f < out.length; f++) {
			out[f] = -1;
			if (!layout.categorical[f] || layout.width[f] == 0) {
				continue;
			}
			int[] votes = new int[layout.width[f]];
			for (int n : neighbours) {
				int o = p[n] * w + layout.start[f];
				for (int cat = 0; cat < votes.length; cat++) {
					if (data[o + cat] > 0.5) {
						votes[cat]++;
					}
				}
			}
			int best = 0;
			for (int cat = 1; cat < votes.length; cat++) {
				if (votes[cat] > votes[best]) {
					best = cat;
				}
			}
			out[f] = best;
		}
		return out;
	}

	private static int[][] positionsByClass(int[] classes, int[] counts) {
		int[][] positions = new int[counts.length][];
		for (int c = 0; c < counts.length; c++) {
			positions[c] = new int[counts[c]];
		}
		int[] filled = new int[counts.length];
		for (int i = 0; i < classes.length; i++) {
			positions[classes[i]][filled[classes[i]]++] = i;
		}
		return positions;
	}

	private static int[] identity(int n) {
		int[] out = new int[n];
		for (int i = 0; i < n; i++) {
			out[i] = i;
		}
		return out;
	}

	private static void checkRatio(double ratio) {
		if (!(ratio > 0 && ratio <= 1)) {
			throw new IllegalArgumentException("ratio must be in (0, 1], got " + ratio);
		}
	}

	/** Where each feature's encoded columns start, how many, and which are categories. */
	private record Layout(int[] start, int[] width, boolean[] categorical) {

		static Layout of(Preprocessing standard, int cols) {
			if (standard.ordinal()) {
				throw new IllegalArgumentException("SMOTE measures neighbours in the standard encoding");
			}
			List<FeatureTransform> features = standard.features();
			int[] start = new int[features.size()];
			int[] width = new int[features.size()];
			boolean[] categorical = new boolean[features.size()];
			int at = 0;
			for (int f = 0; f < features.size(); f++) {
				start[f] = at;
				width[f] = features.get(f).width();
				categorical[f] = !features.get(f).numericFeature();
				at += width[f];
			}
			if (at != cols) {
				throw new IllegalArgumentException("the encoding has " + at + " columns, the rows " + cols);
			}
			return new Layout(start, width, categorical);
		}

	}

}
