package io.fitserve.ml.kernel;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows of the training kernel matrix for SMO, as floats (as libsvm does: half the memory,
 * ample precision for the solver). When the whole matrix fits the memory budget it is
 * computed up front in blocks with one BLAS gemm each (RBF through
 * {@code |x|^2 + |y|^2 - 2 x.y}); otherwise rows are computed on demand in Java and kept
 * in an LRU cache. Not thread-safe: one per training run.
 */
final class KernelRows {

	/** Memory for cached kernel rows, at most a quarter of the heap. */
	static final long DEFAULT_BUDGET_BYTES = 256L << 20;

	private static final int BLOCK_ROWS = 512;

	private final KernelFunction function;

	private final double[][] x;

	private final double[] squaredNorms;

	private final double[] diagonal;

	private final float[][] full;

	private final LinkedHashMap<Integer, float[]> cache;

	KernelRows(KernelFunction function, double[][] x, long budgetBytes) {
		this.function = function;
		this.x = x;
		int n = x.length;
		this.squaredNorms = new double[n];
		this.diagonal = new double[n];
		for (int i = 0; i < n; i++) {
			this.squaredNorms[i] = KernelFunction.dot(x[i], x[i]);
			this.diagonal[i] = function.evaluate(x[i], x[i]);
		}
		long budget = Math.min(budgetBytes, Runtime.getRuntime().maxMemory() / 4);
		long rowBytes = (long) n * Float.BYTES + 16;
		if (rowBytes * n <= budget) {
			this.full = computeAll();
			this.cache = null;
		}
		else {
			this.full = null;
			int capacity = (int) Math.max(2, budget / rowBytes);
			this.cache = new LinkedHashMap<>(16, 0.75f, true) {
				@Override
				protected boolean removeEldestEntry(Map.Entry<Integer, float[]> eldest) {
					return size() > capacity;
				}
			};
		}
	}

	int size() {
		return this.x.length;
	}

	double diagonal(int i) {
		return this.diagonal[i];
	}

	/** K(x_i, x_j) for every training row j; the caller must not modify it. */
	float[] row(int i) {
		if (this.full != null) {
			return this.full[i];
		}
		float[] row = this.cache.get(i);
		if (row == null) {
			row = new float[this.x.length];
			double[] xi = this.x[i];
			for (int j = 0; j < row.length; j++) {
				row[j] = (float) this.function.fromDot(KernelFunction.dot(xi, this.x[j]), this.squaredNorms[i],
						this.squaredNorms[j]);
			}
			this.cache.put(i, row);
		}
		return row;
	}

	private float[][] computeAll() {
		int n = this.x.length;
		float[][] rows = new float[n][];
		INDArray all = Nd4j.createFromArray(this.x);
		INDArray allT = all.transpose();
		for (int start = 0; start < n; start += BLOCK_ROWS) {
			int end = Math.min(n, start + BLOCK_ROWS);
			double[][] dots = KernelFunction.rows(all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end),
					org.nd4j.linalg.indexing.NDArrayIndex.all())
				.mmul(allT));
			for (int r = start; r < end; r++) {
				double[] d = dots[r - start];
				float[] row = new float[n];
				for (int j = 0; j < n; j++) {
					row[j] = (float) this.function.fromDot(d[j], this.squaredNorms[r], this.squaredNorms[j]);
				}
				rows[r] = row;
			}
		}
		all.close();
		return rows;
	}

}
