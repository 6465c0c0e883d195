package io.fitserve.ml.linear;

import io.fitserve.ml.data.Blocks;
import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.kernel.KernelFunction;
import io.fitserve.ml.linalg.DirectGemm;
import io.fitserve.ml.linalg.NativeMatrix;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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

	/** The rows of a design matrix, a block at a time. */
	@FunctionalInterface
	public interface RowBlocks {

		/** Writes rows [from, to), row-major, into out. */
		void write(int from, int to, double[] out);

	}

	/**
	 * Rows per block of the normal equations: the block stays in cache while one gemm
	 * reads it, and OpenBLAS runs a product this size on the calling thread (at 4,096
	 * rows it split each one across threads, and 1M x 22 took 190 ms on one core instead
	 * of 35).
	 */
	static final int BLOCK_ROWS = 1024;

	/**
	 * The fewest rows a chunk of
	 * {@link #ridge(int, int, RowBlocks, double[], double, int)} has.
	 */
	static final int CHUNK_ROWS = 16 * BLOCK_ROWS;

	/** The most moment values the chunks hold together (64 MB). */
	static final long CHUNK_MOMENTS = 8L << 20;

	/**
	 * As {@link #ridge(DenseRows, double[], double, double[])} (unweighted), from rows
	 * that are written a block at a time: the n x d design matrix never exists as a
	 * whole. The rows are cut into chunks that depend only on their count and d; each
	 * chunk is written and its cross products added on one thread, and the chunks'
	 * moments are summed in chunk order, so one thread and many give the same bits.
	 */
	public static NetworkWeights ridge(int rows, int features, RowBlocks x, double[] y, double l2, int threads) {
		if (rows < 1) {
			throw new IllegalArgumentException("no training rows");
		}
		if (y.length < rows) {
			throw new IllegalArgumentException("x has " + rows + " rows but y has " + y.length);
		}
		int chunks = chunks(rows, features);
		int chunkRows = (int) ((rows + (long) chunks - 1) / chunks);
		int blockRows = Math.min(BLOCK_ROWS, chunkRows);
		// the accumulators are made here, on the caller's thread: the first of a process
		// initializes ND4J, and a fork-join worker's context class loader (the system
		// one, in the packaged jar) finds no backend; a failed static initializer is
		// not retried, so every later job would fail too
		List<NormalEquations> made = new ArrayList<>();
		Queue<NormalEquations> free = new ConcurrentLinkedQueue<>();
		try {
			for (int t = Math.max(1, Math.min(threads, chunks)); t > 0; t--) {
				made.add(new NormalEquations(features, blockRows));
			}
			free.addAll(made);
			double[] moments = Blocks.sum(chunks, (features + 2) * (features + 2), threads, () -> {
				NormalEquations equations = free.poll();
				if (equations == null) {
					throw new IllegalStateException("more threads than accumulators");
				}
				return equations;
			}, (c, partial, equations) -> {
				int end = (int) Math.min(rows, (long) (c + 1) * chunkRows);
				for (int from = c * chunkRows; from < end; from += blockRows) {
					int to = Math.min(end, from + blockRows);
					x.write(from, to, equations.rowsBuffer);
					equations.add(equations.rowsBuffer, to - from, y, from, null);
				}
				equations.drainTo(partial);
			});
			return NormalEquations.solve(features, moments, rows, l2);
		}
		finally {
			made.forEach(NormalEquations::close);
		}
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
	 * so the n x d design matrix never exists as a whole: each block of rows goes to
	 * native memory as {@code sqrt(w) * [1, x, y]} and one gemm adds its cross products
	 * to a (d+2) x (d+2) matrix that holds the weight sum, the weighted sums of x and y,
	 * X'X and X'y. {@link #solve} centres algebraically ({@code Xc'Xc = X'X - s s'/W})
	 * and gives the same minimizer as
	 * {@link LinearSolvers#ridge(DenseRows, double[], double, double[])}, to rounding: on
	 * standardized data the means are close to 0, so the subtraction loses nothing.
	 *
	 * <p>
	 * Several accumulators can share the rows (one per thread, each over its own rows):
	 * {@link #drainTo} hands over what one has added, and
	 * {@link #solve(int, double[], long, double)} solves the sum.
	 */
	public static final class NormalEquations implements AutoCloseable {

		private final int d;

		private final int width;

		private final int capacity;

		private final NativeMatrix block;

		private final NativeMatrix moments;

		private final DoublePointer blockPointer;

		private final DoublePointer momentsPointer;

		private final double[] staging;

		/** Room for one block of x, for callers that write rows before adding them. */
		final double[] rowsBuffer;

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
			this.block = NativeMatrix.allocate(blockRows, this.width);
			this.moments = NativeMatrix.wrap(Nd4j.zeros(DataType.DOUBLE, this.width, this.width));
			this.blockPointer = DirectGemm.AVAILABLE ? DirectGemm.pointer(this.block.array) : null;
			this.momentsPointer = DirectGemm.AVAILABLE ? DirectGemm.pointer(this.moments.array) : null;
			this.staging = new double[blockRows * this.width];
			this.rowsBuffer = new double[blockRows * features];
		}

		/**
		 * Adds rows: x row-major (count x features), y[yFrom..yFrom+count), weights
		 * likewise (null = all 1).
		 */
		public void add(double[] x, int count, double[] y, int yFrom, double[] weights) {
			if (count < 0 || count > this.capacity || (long) count * this.d > x.length) {
				throw new IllegalArgumentException("block of " + count + " rows does not fit");
			}
			if (count == 0) {
				return;
			}
			int width = this.width;
			double[] a = this.staging;
			for (int r = 0; r < count; r++) {
				double s = (weights == null) ? 1.0 : Math.sqrt(weight(weights, yFrom + r));
				int out = r * width;
				a[out] = s;
				int in = r * this.d;
				for (int j = 0; j < this.d; j++) {
					a[out + 1 + j] = s * x[in + j];
				}
				double target = y[yFrom + r];
				if (!Double.isFinite(target)) {
					throw new IllegalArgumentException("target " + (yFrom + r) + " is not finite");
				}
				a[out + width - 1] = s * target;
			}
			(this.blockPointer != null ? this.blockPointer : new DoublePointer(this.block.array.data().pointer()))
				.put(a, 0, count * width);
			if (this.blockPointer != null) {
				// moments += block' block: a 1,024-row block stays under OpenBLAS's
				// threading threshold, so each call runs on the caller's thread
				DirectGemm.gemm(true, false, width, width, count, 1.0, this.blockPointer, 0, width, this.blockPointer,
						0, width, 1.0, this.momentsPointer, 0, width);
			}
			else {
				INDArray used = (count == this.capacity) ? this.block.array
						: this.block.array.get(NDArrayIndex.interval(0, count), NDArrayIndex.all());
				Nd4j.gemm(used, used, this.moments.array, true, false, 1.0, 1.0);
			}
			Reference.reachabilityFence(this.block);
			Reference.reachabilityFence(this.moments);
			this.rows += count;
		}

		/**
		 * Adds the (d+2) x (d+2) moments added so far, row-major, to into and starts
		 * again from none.
		 */
		public void drainTo(double[] into) {
			int size = this.width * this.width;
			if (into.length != size) {
				throw new IllegalArgumentException("expected " + size + " moments, got " + into.length);
			}
			double[] m = new double[size];
			DoublePointer pointer = new DoublePointer(this.moments.array.data().pointer());
			pointer.get(m);
			for (int i = 0; i < size; i++) {
				into[i] += m[i];
			}
			pointer.put(new double[size]);
			Reference.reachabilityFence(this.moments);
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

		@Override
		public void close() {
			this.block.array.close();
			this.moments.array.close();
		}

	}

}
