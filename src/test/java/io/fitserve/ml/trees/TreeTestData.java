package io.fitserve.ml.trees;

import java.util.SplittableRandom;

/** Small seeded synthetic datasets for the tree tests. */
final class TreeTestData {

	private TreeTestData() {
	}

	/**
	 * Binary (or K-class) data: {@code features} columns, the class depends on the first
	 * three; optionally ~5% of the numeric cells missing and a 4-level categorical last
	 * column that shifts the class.
	 */
	static TreeDataset classification(int rows, int features, int classes, boolean missing, boolean categorical,
			long seed) {
		SplittableRandom rng = new SplittableRandom(seed);
		int f = features + (categorical ? 1 : 0);
		double[][] cols = new double[f][rows];
		double[] y = new double[rows];
		for (int r = 0; r < rows; r++) {
			double score = 0;
			for (int j = 0; j < features; j++) {
				double v = gaussian(rng);
				cols[j][r] = v;
				if (j < 3) {
					score += v * (j + 1);
				}
			}
			if (categorical) {
				int c = rng.nextInt(4);
				cols[features][r] = c;
				score += (c == 1 || c == 3) ? 1.5 : -1.5;
			}
			score += 0.5 * gaussian(rng);
			if (classes == 2) {
				y[r] = score > 0 ? 1 : 0;
			}
			else {
				int k = (int) Math.floor((score + 4) / 8 * classes);
				y[r] = Math.max(0, Math.min(classes - 1, k));
			}
			if (missing) {
				for (int j = 0; j < features; j++) {
					if (rng.nextDouble() < 0.05) {
						cols[j][r] = Double.NaN;
					}
				}
			}
		}
		return new TreeDataset(cols, y);
	}

	/** Regression: y = sum of a few features (one squared) + noise. */
	static TreeDataset regression(int rows, int features, boolean missing, boolean categorical, long seed) {
		SplittableRandom rng = new SplittableRandom(seed);
		int f = features + (categorical ? 1 : 0);
		double[][] cols = new double[f][rows];
		double[] y = new double[rows];
		for (int r = 0; r < rows; r++) {
			double t = 0;
			for (int j = 0; j < features; j++) {
				double v = gaussian(rng);
				cols[j][r] = v;
				if (j == 0) {
					t += 3 * v;
				}
				else if (j == 1) {
					t += v * v;
				}
				else if (j == 2) {
					t -= 2 * v;
				}
			}
			if (categorical) {
				int c = rng.nextInt(4);
				cols[features][r] = c;
				t += (c == 0 || c == 2) ? 2 : -2;
			}
			y[r] = t + 0.3 * gaussian(rng);
			if (missing) {
				for (int j = 0; j < features; j++) {
					if (rng.nextDouble() < 0.05) {
						cols[j][r] = Double.NaN;
					}
				}
			}
		}
		return new TreeDataset(cols, y);
	}

	static FeatureKinds kinds(TreeDataset d, boolean categoricalLast) {
		int f = d.features();
		return categoricalLast ? FeatureKinds.of(f, new int[] { f - 1 }, new int[] { 4 }) : FeatureKinds.allNumeric(f);
	}

	static double gaussian(SplittableRandom rng) {
		double u = 1 - rng.nextDouble();
		double v = rng.nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	static double[] row(TreeDataset d, int r) {
		double[] x = new double[d.features()];
		for (int f = 0; f < x.length; f++) {
			x[f] = d.columns()[f][r];
		}
		return x;
	}

	static double accuracy(TreeEnsemble m, TreeDataset d) {
		int ok = 0;
		for (int r = 0; r < d.rows(); r++) {
			if (m.predictClass(row(d, r)) == (int) d.y()[r]) {
				ok++;
			}
		}
		return ok / (double) d.rows();
	}

	static double r2(TreeEnsemble m, TreeDataset d) {
		double mean = 0;
		for (double v : d.y()) {
			mean += v;
		}
		mean /= d.rows();
		double res = 0;
		double tot = 0;
		for (int r = 0; r < d.rows(); r++) {
			double e = d.y()[r] - m.predict(row(d, r))[0];
			res += e * e;
			tot += (d.y()[r] - mean) * (d.y()[r] - mean);
		}
		return 1 - res / tot;
	}

}
