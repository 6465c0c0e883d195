package io.fitserve.ml.linear;

import io.fitserve.ml.data.Blocks;
import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.kernel.KernelFunction;
import io.fitserve.ml.linalg.NativeMatrix;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import java.util.List;
import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Exact (closed-form) solvers for linear models. */
public final class LinearSolvers {

	private LinearSolvers() {
	}

	/**
	 * The exact minimizer of {@code 0.5*mean_i(w_i*(y_i - x_i.W - b)^2) + (l2/2)*||W||^2}
	 * with an unpenalized intercept, as one {@link DenseLayer} with
	 * {@link OutputKind#IDENTITY}.
	 *
	 * <p>
	 * Centering on the weighted means removes the intercept; the normal equations
	 * {@code (Xc'DXc/n + l2 I) W = Xc'D yc/n} are then solved through a symmetric
	 * eigendecomposition (LAPACK syev), inverting only the eigenvalues that are not
	 * numerically zero. For a non-singular system this is the exact solution; for a
	 * singular one (collinear or constant columns with l2 = 0) it is the minimum-norm
	 * minimizer, as numpy's lstsq would give.
	 * @param sampleWeights per-row weights (non-negative, not all zero); null means 1 for
	 * every row
	 */
	public static NetworkWeights ridge(double[][] x, double[] y, double l2, double[] sampleWeights) {
		return ridge(DenseRows.of(x), y, l2, sampleWeights);
	}

	/** As {@link #ridge(double[][], double[], double, double[])}; x is not modified. */
	public static NetworkWeights ridge(DenseRows x, double[] y, double l2, double[] sampleWeights) {
		Objects.requireNonNull(x, "x");
		Objects.requireNonNull(y, "y");
		int n = x.rows();
		if (n == 0) {
			throw new IllegalArgumentException("no training rows");
		}
		if (y.length != n) {
			throw new IllegalArgumentException("x has " + n + " rows but y has " + y.length);
		}
		if (!(l2 >= 0) || Double.isInfinite(l2)) {
			throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
		}
		if (sampleWeights != null && sampleWeights.length != n) {
			throw new IllegalArgumentException("x has " + n + " rows but sampleWeights has " + sampleWeights.length);
		}
		int d = x.cols();
		if (d == 0) {
			throw new IllegalArgumentException("no features");
		}
		double[] data = x.flat();
		double weightSum = 0;
		double[] mean = new double[d];
		double yMean = 0;
		for (int r = 0, k = 0; r < n; r++) {
			double w = weight(sampleWeights, r);
			weightSum += w;
			yMean += w * y[r];
			for (int j = 0; j < d; j++) {
				mean[j] += w * data[k++];
			}
		}
		if (!(weightSum > 0)) {
			throw new IllegalArgumentException("the sample weights sum to " + weightSum);
		}
		yMean /= weightSum;
		for (int j = 0; j < d; j++) {
			mean[j] /= weightSum;
		}
		double[] sqrtWeights = null;
		if (sampleWeights != null) {
			sqrtWeights = new double[n];
			for (int r = 0; r < n; r++) {
				sqrtWeights[r] = Math.sqrt(sampleWeights[r]);
			}
		}
		double[] yScaled = new double[n];
		for (int r = 0; r < n; r++) {
			yScaled[r] = (sqrtWeights == null ? 1.0 : sqrtWeights[r]) * (y[r] - yMean);
		}
		double[] coefficients = solve(data, mean, sqrtWeights, yScaled, n, d, l2);
		double bias = yMean;
		for (int j = 0; j < d; j++) {
			bias -= mean[j] * coefficients[j];
		}
		return new NetworkWeights(List.of(new DenseLayer(d, 1, coefficients, new double[] { bias })), null,
				OutputKind.IDENTITY);
	}

	private static double weight(double[] sampleWeights, int r) {
		if (sampleWeights == null) {
			return 1.0;
		}
		double w = sampleWeights[r];
		if (!(w >= 0) || Double.isInfinite(w)) {
			throw new IllegalArgumentException("sample weight " + r + " must be finite and >= 0, got " + w);
		}
		return w;
	}

	/** The columns of a design matrix, a block of rows at a time. */
	@FunctionalInterface
	public interface ColumnBlocks {

		/**
		 * Writes rows [from, to) column by column: feature j of row from + t into
		 * out[j][t].
		 */
		void write(int from, int to, double[][] out);

	}

	/**
	 * Rows per block of the normal equations: the block's d + 2 columns (45 KB at 20
	 * features) stay in the core's cache while every product of two of them is added.
	 */
	static final int BLOCK_ROWS = 256;

	/**
	 * The fewest rows a chunk of
	 * {@link #ridge(int, int, ColumnBlocks, double[], double, int)} has.
	 */
	static final int CHUNK_ROWS = 64 * BLOCK_ROWS;

	/** The most moment values the chunks hold together (64 MB). */
	static final long CHUNK_MOMENTS = 8L << 20;

	/**
	 * As {@link #ridge(DenseRows, double[], double, double[])} (unweighted), from columns
	 * that are written a block of rows at a time: the n x d design matrix never exists as
	 * a whole. The rows are cut into chunks that depend only on their count and d; each
	 * chunk is written and its cross products added on one thread, and the chunks'
	 * moments are summed in chunk order, so one thread and many give the same bits.
	 */
	public static NetworkWeights ridge(int rows, int features, ColumnBlocks x, double[] y, double l2, int threads) {
		if (y.length < rows) {
			throw new IllegalArgumentException("x has " + rows + " rows but y has " + y.length);
		}
		return ridge(rows, features, x, y, null, l2, threads);
	}

	/**
	 * As {@link #ridge(int, int, ColumnBlocks, double[], double, int)}, with the target
	 * of row i read as {@code y[yIndex[i]]}: the targets of a subset of stored rows
	 * without a copy of them in row order. The same sums, so the same bits, as with that
	 * copy.
	 */
	public static NetworkWeights ridge(int rows, int features, ColumnBlocks x, double[] y, int[] yIndex, double l2,
			int threads) {
		if (rows < 1) {
			throw new IllegalArgumentException("no training rows");
		}
		if (yIndex != null && yIndex.length < rows) {
			throw new IllegalArgumentException("x has " + rows + " rows but yIndex has " + yIndex.length);
		}
		int chunks = chunks(rows, features);
		int chunkRows = (int) ((rows + (long) chunks - 1) / chunks);
		int blockRows = Math.min(BLOCK_ROWS, chunkRows);
		double[] moments = Blocks.sum(chunks, (features + 2) * (features + 2), threads,
				() -> new NormalEquations(features, blockRows), (c, partial, equations) -> {
					int end = (int) Math.min(rows, (long) (c + 1) * chunkRows);
					for (int from = c * chunkRows; from < end; from += blockRows) {
						int to = Math.min(end, from + blockRows);
						x.write(from, to, equations.columns);
						equations.addWritten(to - from, y, yIndex, from);
					}
					equations.drainTo(partial);
				});
		return NormalEquations.solve(features, moments, rows, l2);
	}

	/**
	 * Chunks of at least {@link #CHUNK_ROWS} rows, and few enough that their moments
	 * ((d+2)^2 values each, all held until they are summed) stay under
	 * {@link #CHUNK_MOMENTS} values.
	 */
	static int chunks(int rows, int features) {
		long perChunk = (long) (features + 2) * (features + 2);
		long byRows = Math.max(1, ((long) rows + CHUNK_ROWS - 1) / CHUNK_ROWS);
		long byMemory = Math.max(1, CHUNK_MOMENTS / perChunk);
		return (int) Math.min(byRows, byMemory);
	}

	/**
	 * Solves (A'A/n + l2 I) w = A'b/n for A = diag(sqrtWeights) (X - 1 mean') (X
	 * row-major n x d), by eigendecomposition, pseudo-inverting numerically zero
	 * eigenvalues.
	 */
	private static double[] solve(double[] x, double[] mean, double[] sqrtWeights, double[] b, int n, int d,
			double l2) {
		INDArray gram;
		INDArray right;
		// X goes to native memory in one copy (Nd4j.create(double[]) copies element by
		// element, ~10x slower) and is centred and weighted there in place; closing frees
		// the n x d buffer at once rather than after a GC
		try (NativeMatrix.Owner owner = new NativeMatrix.Owner()) {
			INDArray matrix = owner.add(NativeMatrix.of(x, n, d)).array;
			matrix.subiRowVector(owner.add(NativeMatrix.of(mean, 1, d)).array);
			if (sqrtWeights != null) {
				matrix.muliColumnVector(owner.add(NativeMatrix.of(sqrtWeights, n, 1)).array);
			}
			INDArray rhs = owner.add(NativeMatrix.of(b, n, 1)).array;
			gram = matrix.transpose().mmul(matrix).divi(n);
			right = matrix.transpose().mmul(rhs).divi(n);
		}
		return eigenSolve(gram, right.toDoubleVector(), n, d, l2);
	}

	/**
	 * Solves (gram + l2 I) w = right, gram symmetric d x d (overwritten),
	 * pseudo-inverting null directions.
	 */
	private static double[] eigenSolve(INDArray gram, double[] r, int n, int d, double l2) {
		for (int j = 0; j < d; j++) {
			gram.putScalar(j, j, gram.getDouble(j, j) + l2);
		}
		// syev overwrites its input with the eigenvectors (columns) and wants Fortran
		// order
		INDArray vectors = gram.dup('f');
		INDArray values = Nd4j.create(DataType.DOUBLE, d);
		int info = Nd4j.getBlasWrapper().lapack().syev('V', 'U', vectors, values);
		if (info != 0) {
			throw new IllegalStateException("eigendecomposition failed (LAPACK info " + info + ")");
		}
		double[] lambda = values.toDoubleVector();
		double max = 0;
		for (double v : lambda) {
			max = Math.max(max, Math.abs(v));
		}
		// below this an eigenvalue is rounding noise of a singular Gram matrix (its
		// condition number is squared)
		double tolerance = max * Math.max(n, d) * 1e-13;
		double[][] v = KernelFunction.rows(vectors);
		double[] w = new double[d];
		for (int k = 0; k < d; k++) {
			if (lambda[k] <= tolerance) {
				continue;
			}
			double projection = 0;
			for (int j = 0; j < d; j++) {
				projection += v[j][k] * r[j];
			}
			projection /= lambda[k];
			for (int j = 0; j < d; j++) {
				w[j] += v[j][k] * projection;
			}
		}
		return w;
	}

	/**
	 * Accumulates the normal equations of a (weighted) ridge regression block by block,
	 * so the n x d design matrix never exists as a whole: each block of rows is held as
	 * the columns {@code sqrt(w) * [1, x, y]} and the products of every two columns are
	 * added to a (d+2) x (d+2) matrix that holds the weight sum, the weighted sums of x
	 * and y, X'X and X'y. {@link #solve} centres algebraically
	 * ({@code Xc'Xc = X'X - s s'/W}) and gives the same minimizer as
	 * {@link LinearSolvers#ridge(DenseRows, double[], double, double[])}, to rounding: on
	 * standardized data the means are close to 0, so the subtraction loses nothing.
	 *
	 * <p>
	 * The products run in Java, four columns against two over the block's rows with fused
	 * multiply-adds, while the block's columns are in cache. No copy of the block goes to
	 * native memory: with those copies, a staging array and one OpenBLAS gemm per block
	 * the same sums took longer, and two threads ran no faster than one
	 * (NormalEquationsBench, 1M x 20: 81 ms on one thread and 57 on two here, 176 and 207
	 * that way).
	 *
	 * <p>
	 * Several accumulators can share the rows (one per thread, each over its own rows):
	 * {@link #drainTo} hands over what one has added, and
	 * {@link #solve(int, double[], long, double)} solves the sum.
	 */
	public static final class NormalEquations {

		private final int d;

		private final int width;

		private final int capacity;

		/** The block's columns: [1 or sqrt(w), x_0 .. x_d-1, y], capacity rows each. */
		private final double[][] block;

		/**
		 * x's columns of the block (the same arrays as block[1..d]), for callers that
		 * write columns before {@link #addWritten}.
		 */
		final double[][] columns;

		/** The products added so far, upper triangle, row-major width x width. */
		private final double[] sums;

		private long rows;

		/**
		 * @param features columns of x
		 * @param blockRows the most rows one {@link #add} call takes
		 */
		public NormalEquations(int features, int blockRows) {
			if (features < 1 || blockRows < 1) {
				throw new IllegalArgumentException("need at least one feature and one row per block");
			}
			this.d = features;
			this.width = features + 2;
			this.capacity = blockRows;
			this.block = new double[this.width][blockRows];
			this.columns = java.util.Arrays.copyOfRange(this.block, 1, features + 1);
			this.sums = new double[this.width * this.width];
		}

		/**
		 * Adds rows: x row-major (count x features), y[yFrom..yFrom+count), weights
		 * likewise (null = all 1).
		 */
		public void add(double[] x, int count, double[] y, int yFrom, double[] weights) {
			if (count < 0 || count > this.capacity || (long) count * this.d > x.length) {
				throw new IllegalArgumentException("block of " + count + " rows does not fit");
			}
			double[] scale = this.block[0];
			for (int r = 0; r < count; r++) {
				double s = (weights == null) ? 1.0 : Math.sqrt(weight(weights, yFrom + r));
				scale[r] = s;
				int in = r * this.d;
				for (int j = 0; j < this.d; j++) {
					this.block[1 + j][r] = s * x[in + j];
				}
			}
			addBlock(count, y, null, yFrom);
		}

		/**
		 * Adds the count rows written to {@link #columns} (weight 1), with targets
		 * y[yFrom..yFrom+count), or y[yIndex[yFrom..yFrom+count)] when yIndex is given.
		 */
		void addWritten(int count, double[] y, int[] yIndex, int yFrom) {
			if (count < 0 || count > this.capacity) {
				throw new IllegalArgumentException("block of " + count + " rows does not fit");
			}
			java.util.Arrays.fill(this.block[0], 0, count, 1.0);
			addBlock(count, y, yIndex, yFrom);
		}

		/**
		 * Completes the block with its targets (times block[0]) and adds its products.
		 */
		private void addBlock(int count, double[] y, int[] yIndex, int yFrom) {
			if (count == 0) {
				return;
			}
			double[] scale = this.block[0];
			double[] target = this.block[this.width - 1];
			for (int r = 0; r < count; r++) {
				double v = (yIndex == null) ? y[yFrom + r] : y[yIndex[yFrom + r]];
				if (!Double.isFinite(v)) {
					throw new IllegalArgumentException("target " + (yFrom + r) + " is not finite");
				}
				target[r] = scale[r] * v;
			}
			addProducts(this.block, this.width, count, this.sums);
			this.rows += count;
		}

		/**
		 * sums[j * w + k] += column j . column k over the first n rows, for every j <= k:
		 * four columns against two at a time, eight sums in registers while the rows
		 * stream by.
		 */
		static void addProducts(double[][] z, int w, int n, double[] sums) {
			int j = 0;
			for (; j + 4 <= w; j += 4) {
				double[] a0 = z[j];
				double[] a1 = z[j + 1];
				double[] a2 = z[j + 2];
				double[] a3 = z[j + 3];
				int k = j;
				for (; k + 2 <= w; k += 2) {
					double[] b0 = z[k];
					double[] b1 = z[k + 1];
					double s00 = 0;
					double s01 = 0;
					double s10 = 0;
					double s11 = 0;
					double s20 = 0;
					double s21 = 0;
					double s30 = 0;
					double s31 = 0;
					for (int t = 0; t < n; t++) {
						double x0 = a0[t];
						double x1 = a1[t];
						double x2 = a2[t];
						double x3 = a3[t];
						double y0 = b0[t];
						double y1 = b1[t];
						s00 = Math.fma(x0, y0, s00);
						s01 = Math.fma(x0, y1, s01);
						s10 = Math.fma(x1, y0, s10);
						s11 = Math.fma(x1, y1, s11);
						s20 = Math.fma(x2, y0, s20);
						s21 = Math.fma(x2, y1, s21);
						s30 = Math.fma(x3, y0, s30);
						s31 = Math.fma(x3, y1, s31);
					}
					sums[j * w + k] += s00;
					sums[j * w + k + 1] += s01;
					sums[(j + 1) * w + k] += s10;
					sums[(j + 1) * w + k + 1] += s11;
					sums[(j + 2) * w + k] += s20;
					sums[(j + 2) * w + k + 1] += s21;
					sums[(j + 3) * w + k] += s30;
					sums[(j + 3) * w + k + 1] += s31;
				}
				if (k < w) {
					double[] b0 = z[k];
					double s0 = 0;
					double s1 = 0;
					double s2 = 0;
					double s3 = 0;
					for (int t = 0; t < n; t++) {
						double y0 = b0[t];
						s0 = Math.fma(a0[t], y0, s0);
						s1 = Math.fma(a1[t], y0, s1);
						s2 = Math.fma(a2[t], y0, s2);
						s3 = Math.fma(a3[t], y0, s3);
					}
					sums[j * w + k] += s0;
					sums[(j + 1) * w + k] += s1;
					sums[(j + 2) * w + k] += s2;
					sums[(j + 3) * w + k] += s3;
				}
			}
			for (; j < w; j++) {
				double[] a = z[j];
				for (int k = j; k < w; k++) {
					double[] b = z[k];
					double s = 0;
					for (int t = 0; t < n; t++) {
						s = Math.fma(a[t], b[t], s);
					}
					sums[j * w + k] += s;
				}
			}
		}

		/**
		 * Adds the (d+2) x (d+2) moments added so far, row-major, to into and starts
		 * again from none.
		 */
		public void drainTo(double[] into) {
			int w = this.width;
			if (into.length != w * w) {
				throw new IllegalArgumentException("expected " + w * w + " moments, got " + into.length);
			}
			for (int j = 0; j < w; j++) {
				for (int k = j; k < w; k++) {
					double v = this.sums[j * w + k];
					into[j * w + k] += v;
					if (k != j) {
						into[k * w + j] += v;
					}
				}
			}
			java.util.Arrays.fill(this.sums, 0.0);
			this.rows = 0;
		}

		/**
		 * The ridge minimizer of everything added, as {@link LinearSolvers#ridge} returns
		 * it.
		 */
		public NetworkWeights solve(double l2) {
			double[] m = new double[this.width * this.width];
			long n = this.rows;
			drainTo(m);
			return solve(this.d, m, n, l2);
		}

		/**
		 * The ridge minimizer from summed moments ({@link #drainTo} of accumulators for d
		 * features over n rows in all).
		 */
		public static NetworkWeights solve(int d, double[] moments, long n, double l2) {
			if (n == 0) {
				throw new IllegalArgumentException("no training rows");
			}
			if (!(l2 >= 0) || Double.isInfinite(l2)) {
				throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
			}
			int w = d + 2;
			if (moments.length != w * w) {
				throw new IllegalArgumentException("expected " + w * w + " moments, got " + moments.length);
			}
			double weightSum = moments[0];
			if (!(weightSum > 0)) {
				throw new IllegalArgumentException("the sample weights sum to " + weightSum);
			}
			double[] mean = new double[d];
			for (int j = 0; j < d; j++) {
				mean[j] = moments[1 + j] / weightSum;
			}
			double yMean = moments[d + 1] / weightSum;
			INDArray gram = Nd4j.create(DataType.DOUBLE, d, d);
			double[] right = new double[d];
			for (int j = 0; j < d; j++) {
				for (int k = 0; k < d; k++) {
					gram.putScalar(j, k, (moments[(1 + j) * w + 1 + k] - weightSum * mean[j] * mean[k]) / n);
				}
				right[j] = (moments[(1 + j) * w + d + 1] - weightSum * mean[j] * yMean) / n;
			}
			double[] coefficients = eigenSolve(gram, right, (int) Math.min(Integer.MAX_VALUE, n), d, l2);
			double bias = yMean;
			for (int j = 0; j < d; j++) {
				bias -= mean[j] * coefficients[j];
			}
			return new NetworkWeights(List.of(new DenseLayer(d, 1, coefficients, new double[] { bias })), null,
					OutputKind.IDENTITY);
		}

	}

}
