package io.fitserve.ml.linear;

import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

public class LinearSolversTest {

	/** The same generator as the Python snippets below (64-bit LCG, top 53 bits). */
	public static final class Lcg {

		private long state;

		public Lcg(long seed) {
			this.state = seed;
		}

		public double next() {
			this.state = this.state * 6364136223846793005L + 1442695040888963407L;
			return (this.state >>> 11) / (double) (1L << 53);
		}

	}

	/**
	 * Reference: augmented normal equations [X 1]'D[X 1] beta = [X 1]'D y (+ l2*n on W's
	 * diagonal), by elimination.
	 */
	private static double[] gaussianElimination(double[][] x, double[] y, double l2, double[] sw) {
		int n = x.length;
		int p = x[0].length + 1;
		double[][] a = new double[p][p + 1];
		for (int r = 0; r < n; r++) {
			double w = (sw == null) ? 1 : sw[r];
			double[] row = new double[p];
			System.arraycopy(x[r], 0, row, 0, p - 1);
			row[p - 1] = 1;
			for (int i = 0; i < p; i++) {
				for (int j = 0; j < p; j++) {
					a[i][j] += w * row[i] * row[j];
				}
				a[i][p] += w * row[i] * y[r];
			}
		}
		for (int i = 0; i < p - 1; i++) {
			a[i][i] += l2 * n; // the objective's mean over n rows: n * l2 on the sum form
		}
		for (int col = 0; col < p; col++) {
			int pivot = col;
			for (int r = col + 1; r < p; r++) {
				if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
					pivot = r;
				}
			}
			double[] tmp = a[col];
			a[col] = a[pivot];
			a[pivot] = tmp;
			for (int r = 0; r < p; r++) {
				if (r != col) {
					double f = a[r][col] / a[col][col];
					for (int c = col; c <= p; c++) {
						a[r][c] -= f * a[col][c];
					}
				}
			}
		}
		double[] beta = new double[p];
		for (int i = 0; i < p; i++) {
			beta[i] = a[i][p] / a[i][i];
		}
		return beta;
	}

	private static void assertMatches(NetworkWeights fit, double[] beta, double relative) {
		DenseLayer layer = fit.layers().get(0);
		assertThat(fit.output()).isEqualTo(OutputKind.IDENTITY);
		assertThat(layer.outputs()).isEqualTo(1);
		for (int j = 0; j < layer.inputs(); j++) {
			assertThat(layer.weights()[j]).isCloseTo(beta[j], within(relative * Math.max(1, Math.abs(beta[j]))));
		}
		assertThat(layer.bias()[0]).isCloseTo(beta[beta.length - 1],
				within(relative * Math.max(1, Math.abs(beta[beta.length - 1]))));
	}

	@Test
	void matchesTheNormalEquationsOnRandomData() {
		SplittableRandom random = new SplittableRandom(11);
		int n = 200;
		int d = 6;
		double[][] x = new double[n][d];
		double[] y = new double[n];
		double[] sw = new double[n];
		for (int r = 0; r < n; r++) {
			for (int j = 0; j < d; j++) {
				x[r][j] = random.nextGaussian() * (j + 1) + j;
			}
			y[r] = 2 * x[r][0] - x[r][3] + 0.25 * x[r][5] + 4 + random.nextGaussian();
			sw[r] = random.nextDouble(0.5, 3);
		}
		assertMatches(LinearSolvers.ridge(x, y, 0, null), gaussianElimination(x, y, 0, null), 1e-6);
		assertMatches(LinearSolvers.ridge(x, y, 0.3, null), gaussianElimination(x, y, 0.3, null), 1e-6);
		assertMatches(LinearSolvers.ridge(x, y, 0.3, sw), gaussianElimination(x, y, 0.3, sw), 1e-6);
		// block by block (blocks of 64 rows and a short last one), with the columns'
		// means far from 0
		assertMatches(blockwise(x, y, 0, null), gaussianElimination(x, y, 0, null), 1e-6);
		assertMatches(blockwise(x, y, 0.3, null), gaussianElimination(x, y, 0.3, null), 1e-6);
		assertMatches(blockwise(x, y, 0.3, sw), gaussianElimination(x, y, 0.3, sw), 1e-6);
	}

	private static NetworkWeights blockwise(double[][] x, double[] y, double l2, double[] sw) {
		int block = 64;
		int d = x[0].length;
		LinearSolvers.NormalEquations equations = new LinearSolvers.NormalEquations(d, block);
		for (int from = 0; from < x.length; from += block) {
			int count = Math.min(block, x.length - from);
			double[] rows = new double[count * d];
			for (int r = 0; r < count; r++) {
				System.arraycopy(x[from + r], 0, rows, r * d, d);
			}
			equations.add(rows, count, y, from, sw);
		}
		return equations.solve(l2);
	}

	@Test
	void rowsWrittenInChunksGiveOneThreadsBitsOnTwoAndTheExactSolution() {
		// 40,000 rows: three chunks of 13,334 rows (the last one short), each 52 full
		// blocks of 256 and a short one; the means are far from 0
		SplittableRandom random = new SplittableRandom(23);
		int n = 40_000;
		int d = 5;
		double[][] x = new double[n][d];
		double[] y = new double[n];
		for (int r = 0; r < n; r++) {
			for (int j = 0; j < d; j++) {
				x[r][j] = random.nextGaussian() * (j + 1) + 3 * j;
			}
			y[r] = 1.5 * x[r][0] - 2 * x[r][2] + 0.5 * x[r][4] + 7 + random.nextGaussian();
		}
		assertThat(LinearSolvers.chunks(n, d)).isEqualTo(3);
		int[] calls = new int[1];
		LinearSolvers.ColumnBlocks blocks = (from, to, out) -> {
			synchronized (calls) {
				calls[0]++;
			}
			assertThat(to - from).isBetween(1, LinearSolvers.BLOCK_ROWS);
			for (int r = from; r < to; r++) {
				for (int j = 0; j < d; j++) {
					out[j][r - from] = x[r][j];
				}
			}
		};
		NetworkWeights one = LinearSolvers.ridge(n, d, blocks, y, 0.01, 1);
		assertThat(calls[0]).isEqualTo(3 * 53);
		NetworkWeights two = LinearSolvers.ridge(n, d, blocks, y, 0.01, 2);
		assertThat(two.layers().get(0).weights()).isEqualTo(one.layers().get(0).weights());
		assertThat(two.layers().get(0).bias()).isEqualTo(one.layers().get(0).bias());
		assertMatches(one, gaussianElimination(x, y, 0.01, null), 1e-9);
		assertMatches(LinearSolvers.ridge(n, d, blocks, y, 0, 2), gaussianElimination(x, y, 0, null), 1e-9);

		// the targets read through an index (row i's at y[index[i]]) give the same bits
		// as
		// a copy of them in row order
		int[] index = new int[n];
		double[] byStoredRow = new double[2 * n];
		java.util.Arrays.fill(byStoredRow, Double.NaN);
		for (int r = 0; r < n; r++) {
			index[r] = 2 * (n - 1 - r) + 1;
			byStoredRow[index[r]] = y[r];
		}
		NetworkWeights indexed = LinearSolvers.ridge(n, d, blocks, byStoredRow, index, 0.01, 2);
		assertThat(indexed.layers().get(0).weights()).isEqualTo(one.layers().get(0).weights());
		assertThat(indexed.layers().get(0).bias()).isEqualTo(one.layers().get(0).bias());
	}

	@Test
	void momentsAreTheCrossProductsOfOneXAndYForEveryWidth() {
		// 1 to 9 features: the four-by-two products, their odd column and the last
		// columns on their own all take part
		SplittableRandom random = new SplittableRandom(5);
		for (int d = 1; d <= 9; d++) {
			int n = 70;
			double[] x = new double[n * d];
			double[] y = new double[n];
			double[] sw = new double[n];
			for (int i = 0; i < x.length; i++) {
				x[i] = random.nextInt(-4, 5) * 0.5;
			}
			for (int r = 0; r < n; r++) {
				y[r] = random.nextInt(-3, 4);
				sw[r] = r % 2 == 0 ? 1 : 4;
			}
			LinearSolvers.NormalEquations equations = new LinearSolvers.NormalEquations(d, 32);
			for (int from = 0; from < n; from += 32) {
				int count = Math.min(32, n - from);
				equations.add(java.util.Arrays.copyOfRange(x, from * d, (from + count) * d), count, y, from, sw);
			}
			int w = d + 2;
			double[] moments = new double[w * w];
			equations.drainTo(moments);
			// small integers and halves, weights 1 and 4 (square roots 1 and 2): every
			// product and sum is exact
			double[] expected = new double[w * w];
			for (int r = 0; r < n; r++) {
				double[] row = new double[w];
				row[0] = 1;
				for (int j = 0; j < d; j++) {
					row[1 + j] = x[r * d + j];
				}
				row[w - 1] = y[r];
				for (int j = 0; j < w; j++) {
					for (int k = 0; k < w; k++) {
						expected[j * w + k] += sw[r] * row[j] * row[k];
					}
				}
			}
			assertThat(moments).as("d = %d", d).containsExactly(expected);
			double[] again = new double[w * w];
			equations.drainTo(again);
			assertThat(again).as("drained").containsOnly(0.0);
		}
	}

	@Test
	void chunksHoldAtLeast16384RowsAndAtMostSixtyFourMegabytesOfMoments() {
		assertThat(LinearSolvers.chunks(100, 3)).isEqualTo(1);
		assertThat(LinearSolvers.chunks(16_384, 20)).isEqualTo(1);
		assertThat(LinearSolvers.chunks(16_385, 20)).isEqualTo(2);
		assertThat(LinearSolvers.chunks(1_000_000, 20)).isEqualTo(62);
		// 2,002^2 values a chunk: two fit in 8M values
		assertThat(LinearSolvers.chunks(1_000_000, 2000)).isEqualTo(2);
		assertThat(LinearSolvers.chunks(1_000_000, 4000)).isEqualTo(1);
	}

	@Test
	void reproducesScikitLearnRidge() {
		/*
		 * def lcg(seed): # as Lcg above s = seed while True: s = (s * 6364136223846793005
		 * + 1442695040888963407) % (1 << 64); yield (s >> 11) / float(1 << 53) g =
		 * lcg(3); n, d = 50, 4 Xr = np.array([[next(g) * 4 - 2 for j in range(d)] for i
		 * in range(n)]) yr = Xr @ np.array([1.5, -2.0, 0.0, 0.7]) + 0.3 +
		 * np.array([next(g) - 0.5 for i in range(n)]) sw = np.array([1 + (i % 3) for i in
		 * range(n)], dtype=float) Ridge(alpha=5.0).fit(Xr, yr) # sklearn 1.2.1
		 * Ridge(alpha=5.0).fit(Xr, yr, sample_weight=sw)
		 */
		Lcg g = new Lcg(3);
		int n = 50;
		double[][] x = new double[n][4];
		for (int r = 0; r < n; r++) {
			for (int j = 0; j < 4; j++) {
				x[r][j] = g.next() * 4 - 2;
			}
		}
		double[] y = new double[n];
		double[] sw = new double[n];
		for (int r = 0; r < n; r++) {
			y[r] = 1.5 * x[r][0] - 2.0 * x[r][1] + 0.7 * x[r][3] + 0.3 + (g.next() - 0.5);
			sw[r] = 1 + (r % 3);
		}
		double l2 = 5.0 / n; // alpha = l2 * n
		assertMatches(LinearSolvers.ridge(x, y, l2, null),
				new double[] { 1.40055451, -1.74995147, -0.00542332, 0.52352456, 0.3082691618268637 }, 1e-7);
		assertMatches(LinearSolvers.ridge(x, y, l2, sw),
				new double[] { 1.47952371, -1.82389453, 0.03122175, 0.57182863, 0.3235119231727289 }, 1e-7);
	}

	@Test
	void singularSystemsGiveTheMinimumNormSolution() {
		// x2 duplicates x1 and x3 is constant: y = 3*x1 + 1 exactly. The least-squares
		// solutions are w1 + w2 = 3 with any w3 absorbed by the intercept after centering
		// (x3 centred is 0); the minimum-norm one is (1.5, 1.5, 0).
		int n = 20;
		double[][] x = new double[n][];
		double[] y = new double[n];
		for (int r = 0; r < n; r++) {
			double v = r * 0.37 - 2;
			x[r] = new double[] { v, v, 5 };
			y[r] = 3 * v + 1;
		}
		DenseLayer layer = LinearSolvers.ridge(x, y, 0, null).layers().get(0);
		assertThat(layer.weights()).containsExactly(new double[] { 1.5, 1.5, 0 }, within(1e-9));
		assertThat(layer.bias()[0]).isCloseTo(1, within(1e-9));
		// all-constant features: only the (weighted) mean remains
		DenseLayer constant = LinearSolvers
			.ridge(new double[][] { { 1 }, { 1 }, { 1 } }, new double[] { 1, 2, 6 }, 0, new double[] { 1, 1, 2 })
			.layers()
			.get(0);
		assertThat(constant.weights()[0]).isEqualTo(0);
		assertThat(constant.bias()[0]).isCloseTo(15.0 / 4, within(1e-12));
	}

}
