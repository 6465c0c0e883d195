package io.fitserve.ml.kernel;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Binary C-SVC dual solver: SMO with libsvm's second-order working-set selection (Fan,
 * Chen and Lin 2005), stopping when the maximal KKT violation is below
 * {@link #TOLERANCE}; no shrinking (each iteration is O(rows) anyway for the two kernel
 * rows it needs).
 *
 * <p>
 * Solves {@code min 0.5 a'Qa - sum a} s.t. {@code 0 <= a_i <= C_i, y'a = 0} with
 * {@code Q_ij = y_i y_j K_ij} over a subset of the kernel's rows (so calibration folds
 * reuse the same kernel matrix).
 */
final class KernelSvmSmo {

	/** libsvm's default stopping tolerance. */
	static final double TOLERANCE = 1e-3;

	private static final double TAU = 1e-12;

	/**
	 * A solved machine over the given rows: f(x) = sum coefficient_k K(x, rows_k) - rho.
	 */
	record Solution(int[] rows, double[] coefficients, double rho, double hingeLoss) {
	}

	private KernelSvmSmo() {
	}

	/**
	 * @param rows positions (into the kernel's rows) to train on
	 * @param positive label of each kernel row (indexed like the kernel, not like rows)
	 * @param cost C_i of each kernel row
	 * @param weights loss weight of each kernel row, only for the reported hinge loss
	 */
	static Solution solve(KernelRows kernel, int[] rows, boolean[] positive, double[] cost, double[] weights,
			BooleanSupplier cancelled) {
		int n = rows.length;
		double[] y = new double[n];
		double[] c = new double[n];
		double[] qd = new double[n];
		int positives = 0;
		for (int t = 0; t < n; t++) {
			y[t] = positive[rows[t]] ? 1 : -1;
			c[t] = cost[rows[t]];
			qd[t] = kernel.diagonal(rows[t]);
			positives += positive[rows[t]] ? 1 : 0;
		}
		if (positives == 0 || positives == n) {
			// one class only: the constant decision (libsvm does the same)
			double sign = positives == 0 ? -1 : 1;
			return new Solution(rows, new double[n], -sign, 0.0);
		}
		double[] alpha = new double[n];
		double[] g = new double[n];
		java.util.Arrays.fill(g, -1.0);
		long maxIterations = Math.max(10_000_000L, 100L * n);
		for (long iter = 0; iter < maxIterations; iter++) {
			if ((iter & 1023) == 0 && cancelled.getAsBoolean()) {
				throw new CancellationException("training cancelled");
			}
			// working set: i maximises -y_i G_i over I_up, j minimises the second-order
			// objective decrease
			double gMax = Double.NEGATIVE_INFINITY;
			int i = -1;
			for (int t = 0; t < n; t++) {
				if (y[t] > 0) {
					if (alpha[t] < c[t] && -g[t] >= gMax) {
						gMax = -g[t];
						i = t;
					}
				}
				else if (alpha[t] > 0 && g[t] >= gMax) {
					gMax = g[t];
					i = t;
				}
			}
			if (i < 0) {
				break;
			}
			float[] ki = kernel.row(rows[i]);
			double gMax2 = Double.NEGATIVE_INFINITY;
			int j = -1;
			double best = Double.POSITIVE_INFINITY;
			double qdi = qd[i];
			for (int t = 0; t < n; t++) {
				double gradDiff;
				if (y[t] > 0) {
					if (alpha[t] <= 0) {
						continue;
					}
					gMax2 = Math.max(gMax2, g[t]);
					gradDiff = gMax + g[t];
				}
				else {
					if (alpha[t] >= c[t]) {
						continue;
					}
					gMax2 = Math.max(gMax2, -g[t]);
					gradDiff = gMax - g[t];
				}
				if (gradDiff > 0) {
					double quad = qdi + qd[t] - 2 * ki[rows[t]];
					double decrease = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
					if (decrease <= best) {
						best = decrease;
						j = t;
					}
				}
			}
			if (gMax + gMax2 < TOLERANCE || j < 0) {
				break;
			}
			float[] kj = kernel.row(rows[j]);
			// kernel.row(j) may have evicted row i from an LRU cache, but the array we
			// hold stays valid
			double kij = ki[rows[j]];
			double oldI = alpha[i];
			double oldJ = alpha[j];
			double quad = qd[i] + qd[j] - 2 * kij;
			if (quad <= 0) {
				quad = TAU;
			}
			double ci = c[i];
			double cj = c[j];
			if (y[i] != y[j]) {
				double delta = (-g[i] - g[j]) / quad;
				double diff = alpha[i] - alpha[j];
				alpha[i] += delta;
				alpha[j] += delta;
				if (diff > 0) {
					if (alpha[j] < 0) {
						alpha[j] = 0;
						alpha[i] = diff;
					}
				}
				else if (alpha[i] < 0) {
					alpha[i] = 0;
					alpha[j] = -diff;
				}
				if (diff > ci - cj) {
					if (alpha[i] > ci) {
						alpha[i] = ci;
						alpha[j] = ci - diff;
					}
				}
				else if (alpha[j] > cj) {
					alpha[j] = cj;
					alpha[i] = cj + diff;
				}
			}
			else {
				double delta = (g[i] - g[j]) / quad;
				double sum = alpha[i] + alpha[j];
				alpha[i] -= delta;
				alpha[j] += delta;
				if (sum > ci) {
					if (alpha[i] > ci) {
						alpha[i] = ci;
						alpha[j] = sum - ci;
					}
				}
				else if (alpha[j] < 0) {
					alpha[j] = 0;
					alpha[i] = sum;
				}
				if (sum > cj) {
					if (alpha[j] > cj) {
						alpha[j] = cj;
						alpha[i] = sum - cj;
					}
				}
				else if (alpha[i] < 0) {
					alpha[i] = 0;
					alpha[j] = sum;
				}
			}
			// G_t += Q_ti da_i + Q_tj da_j with Q_ts = y_t y_s K_ts
			double di = (alpha[i] - oldI) * y[i];
			double dj = (alpha[j] - oldJ) * y[j];
			for (int t = 0; t < n; t++) {
				int r = rows[t];
				g[t] += y[t] * (ki[r] * di + kj[r] * dj);
			}
		}
		double rho = rho(alpha, g, y, c);
		double[] coefficients = new double[n];
		double loss = 0;
		for (int t = 0; t < n; t++) {
			coefficients[t] = alpha[t] * y[t];
			// y_t f_t = G_t + 1 - y_t rho
			double w = weights[rows[t]];
			loss += w * Math.max(0, -g[t] + y[t] * rho);
		}
		return new Solution(rows, coefficients, rho, loss / n);
	}

	/**
	 * libsvm's rho: the mean of y_i G_i over free vectors, else the middle of the
	 * feasible interval.
	 */
	private static double rho(double[] alpha, double[] g, double[] y, double[] c) {
		double ub = Double.POSITIVE_INFINITY;
		double lb = Double.NEGATIVE_INFINITY;
		double sumFree = 0;
		int free = 0;
		for (int t = 0; t < alpha.length; t++) {
			double yg = y[t] * g[t];
			boolean upper = alpha[t] >= c[t];
			boolean lower = alpha[t] <= 0;
			if (upper) {
				if (y[t] < 0) {
					ub = Math.min(ub, yg);
				}
				else {
					lb = Math.max(lb, yg);
				}
			}
			else if (lower) {
				if (y[t] > 0) {
					ub = Math.min(ub, yg);
				}
				else {
					lb = Math.max(lb, yg);
				}
			}
			else {
				free++;
				sumFree += yg;
			}
		}
		return free > 0 ? sumFree / free : (ub + lb) / 2;
	}

}
