package io.fitserve.ml;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A C-order double matrix in native memory together with a raw indexer onto it, so that cheap element-wise work can
 * run as plain Java loops (ND4J's per-op overhead dwarfs the arithmetic on small batches) while matrix products stay
 * with BLAS. Keeping both in one object keeps the array reachable, and so its memory alive, while the indexer is used.
 */
final class NativeMatrix {

	final INDArray array;

	final DoubleIndexer ix;

	final int rows;

	final int cols;

	private NativeMatrix(INDArray array) {
		if (array.dataType() != DataType.DOUBLE || array.ordering() != 'c' || array.isView() || array.rank() != 2) {
			throw new IllegalArgumentException("expected a plain C-order double matrix");
		}
		this.array = array;
		this.ix = DoubleIndexer.create(new DoublePointer(array.data().pointer()));
		this.rows = (int) array.rows();
		this.cols = (int) array.columns();
	}

	static NativeMatrix wrap(INDArray array) {
		return new NativeMatrix(array);
	}

	static NativeMatrix allocate(int rows, int cols) {
		return new NativeMatrix(Nd4j.createUninitialized(DataType.DOUBLE, new long[] { rows, cols }, 'c'));
	}

	/** Copies the given rows into a new matrix, straight into native memory. */
	static NativeMatrix of(double[][] data, int cols) {
		NativeMatrix result = allocate(data.length, cols);
		DoublePointer pointer = new DoublePointer(result.array.data().pointer());
		for (int r = 0; r < data.length; r++) {
			pointer.position((long) r * cols).put(data[r], 0, cols);
		}
		return result;
	}

	double get(long row, int col) {
		return this.ix.get(row * this.cols + col);
	}

	/** Copies rows order[from..to) of source into this matrix's first to-from rows. */
	void gather(NativeMatrix source, int[] order, int from, int to) {
		int width = this.cols;
		for (int r = 0; r < to - from; r++) {
			long src = (long) order[from + r] * width;
			long dst = (long) r * width;
			for (int c = 0; c < width; c++) {
				this.ix.put(dst + c, source.ix.get(src + c));
			}
		}
	}

}
