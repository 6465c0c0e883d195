package io.fitserve.ml;

import io.fitserve.ml.nn.Network;
import io.fitserve.ml.nn.NetworkWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded synthetic data sets for the trainer tests. */
public final class SyntheticData {

	public final double[][] x;

	public final double[] y;

	private SyntheticData(double[][] x, double[] y) {
		this.x = x;
		this.y = y;
	}

	public int rows() {
		return this.x.length;
	}

	/** y = 3*x1 - 2*x2 + 0.5 + N(0, noise^2), x ~ N(0, 1). */
	public static SyntheticData linear(int rows, double noise, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] x = new double[rows][];
		double[] y = new double[rows];
		for (int r = 0; r < rows; r++) {
			x[r] = new double[] { random.nextGaussian(), random.nextGaussian() };
			y[r] = 3 * x[r][0] - 2 * x[r][1] + 0.5 + noise * random.nextGaussian();
		}
		return new SyntheticData(x, y);
	}

	/**
	 * Two classes split by the line x1 + 2*x2 = 0.5, with no points closer than margin to
	 * it; x ~ U(-3, 3)^2.
	 */
	public static SyntheticData separable(int rows, double margin, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<double[]> xs = new ArrayList<>();
		List<Double> ys = new ArrayList<>();
		while (xs.size() < rows) {
			double x1 = random.nextDouble(-3, 3);
			double x2 = random.nextDouble(-3, 3);
			double side = (x1 + 2 * x2 - 0.5) / Math.sqrt(5);
			if (Math.abs(side) >= margin) {
				xs.add(new double[] { x1, x2 });
				ys.add(side > 0 ? 1.0 : 0.0);
			}
		}
		return of(xs, ys);
	}

	/**
	 * Gaussian blobs (std 1) around the given centers, class i around centers[i], rows
	 * shuffled.
	 */
	public static SyntheticData blobs(double[][] centers, int perClass, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<double[]> xs = new ArrayList<>();
		List<Double> ys = new ArrayList<>();
		for (int i = 0; i < perClass * centers.length; i++) {
			int label = random.nextInt(centers.length);
			double[] c = centers[label];
			double[] row = new double[c.length];
			for (int j = 0; j < c.length; j++) {
				row[j] = c[j] + random.nextGaussian();
			}
			xs.add(row);
			ys.add((double) label);
		}
		return of(xs, ys);
	}

	/** XOR: x ~ U(-1, 1)^2, class 1 when x1 and x2 have the same sign. */
	public static SyntheticData xor(int rows, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] x = new double[rows][];
		double[] y = new double[rows];
		for (int r = 0; r < rows; r++) {
			x[r] = new double[] { random.nextDouble(-1, 1), random.nextDouble(-1, 1) };
			y[r] = (x[r][0] * x[r][1] > 0) ? 1 : 0;
		}
		return new SyntheticData(x, y);
	}

	/** y = x^2 + N(0, noise^2), x ~ U(-2, 2). */
	public static SyntheticData square(int rows, double noise, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] x = new double[rows][];
		double[] y = new double[rows];
		for (int r = 0; r < rows; r++) {
			x[r] = new double[] { random.nextDouble(-2, 2) };
			y[r] = x[r][0] * x[r][0] + noise * random.nextGaussian();
		}
		return new SyntheticData(x, y);
	}

	/**
	 * y = x1 + N(0, noise^2) with extra pure-noise features: easy to overfit with few
	 * rows.
	 */
	public static SyntheticData noisyWide(int rows, int features, double noise, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] x = new double[rows][features];
		double[] y = new double[rows];
		for (int r = 0; r < rows; r++) {
			for (int j = 0; j < features; j++) {
				x[r][j] = random.nextGaussian();
			}
			y[r] = x[r][0] + noise * random.nextGaussian();
		}
		return new SyntheticData(x, y);
	}

	public static SyntheticData of(List<double[]> xs, List<Double> ys) {
		double[] y = new double[ys.size()];
		for (int i = 0; i < y.length; i++) {
			y[i] = ys.get(i);
		}
		return new SyntheticData(xs.toArray(new double[0][]), y);
	}

	public static double accuracy(NetworkWeights weights, SyntheticData data, int numClasses) {
		double[][] p = Network.predictBatch(weights, data.x, numClasses);
		int correct = 0;
		for (int r = 0; r < p.length; r++) {
			int best = 0;
			for (int c = 1; c < p[r].length; c++) {
				if (p[r][c] > p[r][best]) {
					best = c;
				}
			}
			if (best == (int) data.y[r]) {
				correct++;
			}
		}
		return (double) correct / p.length;
	}

	public static double r2(NetworkWeights weights, SyntheticData data) {
		double[][] p = Network.predictBatch(weights, data.x, 0);
		double mean = 0;
		for (double v : data.y) {
			mean += v;
		}
		mean /= data.y.length;
		double residual = 0;
		double total = 0;
		for (int r = 0; r < p.length; r++) {
			residual += (data.y[r] - p[r][0]) * (data.y[r] - p[r][0]);
			total += (data.y[r] - mean) * (data.y[r] - mean);
		}
		return 1 - residual / total;
	}

	public static double mse(NetworkWeights weights, SyntheticData data) {
		double[][] p = Network.predictBatch(weights, data.x, 0);
		double sum = 0;
		for (int r = 0; r < p.length; r++) {
			sum += (data.y[r] - p[r][0]) * (data.y[r] - p[r][0]);
		}
		return sum / p.length;
	}

}
