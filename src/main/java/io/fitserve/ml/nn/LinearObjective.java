package io.fitserve.ml.nn;

import io.fitserve.ml.data.Blocks;
import io.fitserve.ml.data.DenseRows;

import org.bytedeco.javacpp.indexer.DoubleIndexer;

/**
 * The full-batch objective of a linear model (one dense layer, no hidden layers) computed
 * in plain Java over the row-major heap copy of the data (one array or blocks of rows):
 * {@code factor * sum_i loss_i / n + l2/2 * |W|^2}, with its gradient in
 * {@link TrainableNetwork}'s flat layout (weights row-major {@code [inputs][outputs]},
 * then the bias).
 *
 * <p>
 * One pass reads each row once for the scores and again, still in cache, for the
 * gradient; ND4J's gemm with a single output column reads the whole matrix twice and was
 * 3-5x slower here. Rows are cut into fixed chunks that run in parallel; their partial
 * sums are added in chunk order ({@link Blocks#sum}), so the result does not depend on
 * thread timing or count.
 */
final class LinearObjective {

	/** Rows per chunk: the chunk's scores and deltas stay in L1/L2 cache. */
	static final int CHUNK_ROWS = 4096;

	private final DenseRows x;

	/**
	 * The encoded targets of each chunk, indexed from 0 as the loss reads them; built
	 * once, not per evaluation.
	 */
	private final DoubleIndexer[] chunkTargets;

	private final int rows;

	private final int inputs;

	private final int outputs;

	private final LossKind loss;

	private final double[] classWeights;

	private final double l2;

	private final boolean parallel;

	/**
	 * @param x rows x inputs
	 * @param y encoded targets, rows x outputs, row-major (as the trainer encodes them
	 * for the loss)
	 */
	LinearObjective(DenseRows x, double[] y, int rows, int inputs, int outputs, LossKind loss, double[] classWeights,
			double l2) {
		if (rows != x.rows() || inputs != x.cols() || (long) rows * outputs != y.length) {
			throw new IllegalArgumentException("data and shape disagree");
		}
		this.x = x;
		int chunks = (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
		this.chunkTargets = new DoubleIndexer[chunks];
		for (int c = 0; c < chunks; c++) {
			int from = c * CHUNK_ROWS * outputs;
			int to = Math.min(rows, (c + 1) * CHUNK_ROWS) * outputs;
			this.chunkTargets[c] = DoubleIndexer.create(java.util.Arrays.copyOfRange(y, from, to));
		}
		this.rows = rows;
		this.inputs = inputs;
		this.outputs = outputs;
		this.loss = loss;
		this.classWeights = classWeights;
		this.l2 = l2;
		this.parallel = rows >= 4 * CHUNK_ROWS && Blocks.threads() > 1;
	}

	int parameterCount() {
		return (this.inputs + 1) * this.outputs;
	}

	/**
	 * The summed per-row (class-weighted) data loss; the gradient (of the mean loss plus
	 * the L2 term) goes to grad.
	 */
	double dataLossAndGradient(double[] theta, double[] grad) {
		int width = parameterCount();
		// the loss rides along as the last partial sum
		double[] total = Blocks.sum(this.chunkTargets.length, width + 1, this.parallel ? Blocks.threads() : 1,
				() -> new Scores(CHUNK_ROWS * this.outputs),
				(c, partial, scores) -> partial[width] = chunk(theta, c, partial, scores));
		System.arraycopy(total, 0, grad, 0, width);
		double dataLoss = total[width];
		int weights = this.inputs * this.outputs;
		for (int i = 0; i < weights; i++) {
			grad[i] += this.l2 * theta[i];
		}
		return dataLoss;
	}

	/**
	 * Loss of chunk c's rows; adds their gradient (already divided by n) to g. The
	 * chunk's scores and their deltas go to the thread's own buffers.
	 */
	private double chunk(double[] theta, int c, double[] g, Scores buffers) {
		int from = c * CHUNK_ROWS;
		int n = Math.min(this.rows, from + CHUNK_ROWS) - from;
		int d = this.inputs;
		int k = this.outputs;
		int biasOffset = d * k;
		double[] z = buffers.z;
		double[] delta = buffers.delta;
		DenseRows rowsX = this.x;
		if (k == 1) {
			double[] x = rowsX.arrayOf(from);
			int base = rowsX.offset(from) - d;
			for (int r = 0; r < n; r++) {
				base += d;
				if (base == x.length) {
					x = rowsX.arrayOf(from + r);
					base = 0;
				}
				double s0 = 0;
				double s1 = 0;
				double s2 = 0;
				double s3 = 0;
				int j = 0;
				for (; j + 3 < d; j += 4) {
					s0 += x[base + j] * theta[j];
					s1 += x[base + j + 1] * theta[j + 1];
					s2 += x[base + j + 2] * theta[j + 2];
					s3 += x[base + j + 3] * theta[j + 3];
				}
				for (; j < d; j++) {
					s0 += x[base + j] * theta[j];
				}
				z[r] = theta[biasOffset] + ((s0 + s1) + (s2 + s3));
			}
		}
		else {
			double[] x = rowsX.arrayOf(from);
			int base = rowsX.offset(from) - d;
			for (int r = 0; r < n; r++) {
				base += d;
				if (base == x.length) {
					x = rowsX.arrayOf(from + r);
					base = 0;
				}
				int out = r * k;
				System.arraycopy(theta, biasOffset, z, out, k);
				for (int j = 0; j < d; j++) {
					double v = x[base + j];
					int w = j * k;
					for (int o = 0; o < k; o++) {
						z[out + o] += v * theta[w + o];
					}
				}
			}
		}
		double chunkLoss = this.loss.evaluate(buffers.zIndexer, this.chunkTargets[c], buffers.deltaIndexer, n, k,
				1.0 / this.rows, this.classWeights);
		double[] x = rowsX.arrayOf(from);
		int base = rowsX.offset(from) - d;
		for (int r = 0; r < n; r++) {
			// rows follow one another in a block; the next block starts at 0
			base += d;
			if (base == x.length) {
				x = rowsX.arrayOf(from + r);
				base = 0;
			}
			int out = r * k;
			if (k == 1) {
				double e = delta[r];
				if (e != 0) {
					for (int j = 0; j < d; j++) {
						g[j] += e * x[base + j];
					}
				}
				g[biasOffset] += e;
			}
			else {
				for (int j = 0; j < d; j++) {
					double v = x[base + j];
					int w = j * k;
					for (int o = 0; o < k; o++) {
						g[w + o] += v * delta[out + o];
					}
				}
				for (int o = 0; o < k; o++) {
					g[biasOffset + o] += delta[out + o];
				}
			}
		}
		return chunkLoss;
	}

	/**
	 * A thread's scores and deltas for the rows of one chunk (the last chunk uses the
	 * first part).
	 */
	private static final class Scores {

		final double[] z;

		final double[] delta;

		final DoubleIndexer zIndexer;

		final DoubleIndexer deltaIndexer;

		Scores(int size) {
			this.z = new double[size];
			this.delta = new double[size];
			this.zIndexer = DoubleIndexer.create(this.z);
			this.deltaIndexer = DoubleIndexer.create(this.delta);
		}

	}

}
