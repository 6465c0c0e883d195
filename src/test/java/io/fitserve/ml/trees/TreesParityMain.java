package io.fitserve.ml.trees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Command-line driver for {@code bench/trees/parity.py} and {@code bench/trees/bench.sh}:
 * trains fitserve's gradient boosting or random forest on a train CSV (header row, last
 * column = target; empty or "nan" = missing) and prints the test metric.
 *
 * <pre>
 * java -cp target/test-classes:target/classes io.fitserve.ml.trees.TreesParityMain \
 *     train.csv test.csv binary|multiclass|regression gbm|rf [--cat col:count,...] [--threads n] [--repeat n]
 * </pre>
 *
 * Output, one line:
 * {@code metric=accuracy value=0.9 fit_seconds=1.2 first_fit_seconds=1.5
 * iterations=100}. Gradient boosting holds out 10% of the training rows for early
 * stopping when there are more than 10,000 (scikit-learn's early_stopping="auto").
 */
public final class TreesParityMain {

	private TreesParityMain() {
	}

	public static void main(String[] args) throws IOException {
		String task = args[2];
		String model = args[3];
		int threads = 0;
		int repeat = 1;
		List<int[]> cats = new ArrayList<>();
		for (int i = 4; i < args.length; i++) {
			switch (args[i]) {
				case "--threads" -> threads = Integer.parseInt(args[++i]);
				case "--repeat" -> repeat = Integer.parseInt(args[++i]);
				case "--cat" -> {
					for (String spec : args[++i].split(",")) {
						String[] p = spec.split(":");
						cats.add(new int[] { Integer.parseInt(p[0]), Integer.parseInt(p[1]) });
					}
				}
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		double[][] train = read(Path.of(args[0]));
		double[][] test = read(Path.of(args[1]));
		int features = train[0].length - 1;
		boolean[] categorical = new boolean[features];
		int[] counts = new int[features];
		for (int[] c : cats) {
			categorical[c[0]] = true;
			counts[c[0]] = c[1];
		}
		FeatureKinds kinds = new FeatureKinds(categorical, counts);
		boolean classification = !task.equals("regression");
		int numClasses = 0;
		if (classification) {
			for (double[] r : train) {
				numClasses = Math.max(numClasses, (int) r[features] + 1);
			}
		}
		TreeEnsemble fitted = null;
		double first = 0;
		double best = Double.MAX_VALUE;
		for (int rep = 0; rep < repeat; rep++) {
			long t0 = System.nanoTime();
			fitted = fit(model, train, features, kinds, classification, numClasses, threads);
			double s = (System.nanoTime() - t0) / 1e9;
			if (rep == 0) {
				first = s;
			}
			best = Math.min(best, s);
		}
		double metric = classification ? accuracy(fitted, test, features) : r2(fitted, test, features);
		System.out.printf("metric=%s value=%.6f fit_seconds=%.3f first_fit_seconds=%.3f iterations=%d%n",
				classification ? "accuracy" : "r2", metric, best, first, fitted.iterations());
	}

	static TreeEnsemble fit(String model, double[][] rows, int features, FeatureKinds kinds, boolean classification,
			int numClasses, int threads) {
		if (model.equals("rf")) {
			RandomForestParams p = classification ? RandomForestParams.classifierDefaults()
					: RandomForestParams.regressorDefaults();
			return RandomForestTrainer.fit(p.withThreads(threads), kinds, dataset(rows, features), numClasses, null);
		}
		GradientBoostingParams p = GradientBoostingParams
			.defaults(classification ? TreeLoss.LOG_LOSS : TreeLoss.SQUARED_ERROR)
			.withThreads(threads);
		TreeDataset validation = null;
		double[][] trainRows = rows;
		if (rows.length > 10_000) {
			// scikit-learn's early_stopping="auto": 10% of the training rows for
			// validation
			int[] perm = new int[rows.length];
			for (int i = 0; i < perm.length; i++) {
				perm[i] = i;
			}
			SplittableRandom rng = new SplittableRandom(42);
			for (int i = perm.length - 1; i > 0; i--) {
				int j = rng.nextInt(i + 1);
				int t = perm[i];
				perm[i] = perm[j];
				perm[j] = t;
			}
			int nv = (int) Math.ceil(rows.length * 0.1);
			double[][] v = new double[nv][];
			double[][] tr = new double[rows.length - nv][];
			for (int i = 0; i < rows.length; i++) {
				if (i < nv) {
					v[i] = rows[perm[i]];
				}
				else {
					tr[i - nv] = rows[perm[i]];
				}
			}
			validation = dataset(v, features);
			trainRows = tr;
		}
		return GradientBoostingTrainer.fit(p, kinds, dataset(trainRows, features), validation,
				classification ? numClasses : 0, null);
	}

	static TreeDataset dataset(double[][] rows, int features) {
		double[][] cols = new double[features][rows.length];
		double[] y = new double[rows.length];
		for (int r = 0; r < rows.length; r++) {
			for (int f = 0; f < features; f++) {
				cols[f][r] = rows[r][f];
			}
			y[r] = rows[r][features];
		}
		return new TreeDataset(cols, y);
	}

	static double accuracy(TreeEnsemble m, double[][] test, int features) {
		int ok = 0;
		double[] x = new double[features];
		for (double[] r : test) {
			System.arraycopy(r, 0, x, 0, features);
			if (m.predictClass(x) == (int) r[features]) {
				ok++;
			}
		}
		return ok / (double) test.length;
	}

	static double r2(TreeEnsemble m, double[][] test, int features) {
		double mean = 0;
		for (double[] r : test) {
			mean += r[features];
		}
		mean /= test.length;
		double ssRes = 0;
		double ssTot = 0;
		double[] x = new double[features];
		for (double[] r : test) {
			System.arraycopy(r, 0, x, 0, features);
			double d = r[features] - m.predict(x)[0];
			ssRes += d * d;
			ssTot += (r[features] - mean) * (r[features] - mean);
		}
		return 1 - ssRes / ssTot;
	}

	static double[][] read(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file);
		double[][] rows = new double[lines.size() - 1][];
		for (int i = 1; i < lines.size(); i++) {
			String[] parts = lines.get(i).split(",", -1);
			double[] r = new double[parts.length];
			for (int j = 0; j < parts.length; j++) {
				String s = parts[j].trim();
				r[j] = (s.isEmpty() || s.equalsIgnoreCase("nan")) ? Double.NaN : Double.parseDouble(s);
			}
			rows[i - 1] = r;
		}
		return rows;
	}

}
