package io.fitserve.ml.linalg;

import io.fitserve.ml.data.DenseRows;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A C-order double matrix in native memory together with a raw indexer onto it, so that
 * cheap element-wise work can run as plain Java loops (ND4J's per-op overhead dwarfs the
 * arithmetic on small batches) while matrix products stay with BLAS. The indexer does not
 * own the memory: code using it must keep this object reachable (see
 * {@link Reference#reachabilityFence}) until it is done.
 */
public final class NativeMatrix {

	public final INDArray array;

	public final DoubleIndexer ix;

	/** Points at element (0, 0): bulk copies to and from heap arrays go through it. */
	final DoublePointer pointer;

	public final int rows;

	public final int cols;

	private NativeMatrix(INDArray array) {
		if (array.dataType() != DataType.DOUBLE || array.ordering() != 'c' || array.isView() || array.rank() != 2) {
			throw new IllegalArgumentException("expected a plain C-order double matrix");
		}
		this.array = array;
		this.pointer = new DoublePointer(array.data().pointer());
		this.ix = DoubleIndexer.create(this.pointer);
		this.rows = (int) array.rows();
		this.cols = (int) array.columns();
	}

	private NativeMatrix(INDArray array, DoublePointer pointer, int rows, int cols) {
		this.array = array;
		this.pointer = pointer;
		this.ix = DoubleIndexer.create(pointer);
		this.rows = rows;
		this.cols = cols;
	}

	/** Rows [from, to) as a matrix sharing this one's memory. */
	public NativeMatrix rowSlice(int from, int to) {
		long offset = this.array.offset() + (long) from * this.cols;
		DoublePointer pointer = new DoublePointer(this.array.data().pointer());
		pointer.position(offset);
		INDArray view = this.array.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
		return new NativeMatrix(view, pointer, to - from, this.cols);
	}

	public static NativeMatrix wrap(INDArray array) {
		return new NativeMatrix(array);
	}

	public static NativeMatrix allocate(int rows, int cols) {
		return new NativeMatrix(Nd4j.createUninitialized(DataType.DOUBLE, new long[] { rows, cols }, 'c'));
	}

	/** Copies the given rows into a new matrix, straight into native memory. */
	public static NativeMatrix of(double[][] data, int cols) {
		NativeMatrix result = allocate(data.length, cols);
		DoublePointer pointer = new DoublePointer(result.array.data().pointer());
		for (int r = 0; r < data.length; r++) {
			pointer.position((long) r * cols).put(data[r], 0, cols);
		}
		return result;
	}

	/** Copies a row-major buffer into a new matrix with one native copy. */
	public static NativeMatrix of(double[] rowMajor, int rows, int cols) {
		NativeMatrix result = allocate(rows, cols);
		new DoublePointer(result.array.data().pointer()).put(rowMajor, 0, rows * cols);
		return result;
	}

	/**
	 * Copies a heap matrix (one array or blocks of rows) into a new matrix, block by
	 * block.
	 */
	public static NativeMatrix of(DenseRows x) {
		NativeMatrix result = allocate(x.rows(), x.cols());
		DoublePointer pointer = new DoublePointer(result.array.data().pointer());
		long at = 0;
		for (int b = 0; b < x.blockCount(); b++) {
			double[] block = x.block(b);
			pointer.position(at).put(block, 0, block.length);
			at += block.length;
		}
		return result;
	}

	/**
	 * The pointer at element (0, 0) (of a row slice, its first row), for
	 * {@link DirectGemm}; shared: callers do not move it.
	 */
	public DoublePointer pointer() {
		return this.pointer;
	}

	public double get(long row, int col) {
		return this.ix.get(row * this.cols + col);
	}

	/** Copies all values, row-major, into out (at least rows * cols long). */
	public void copyTo(double[] out) {
		this.pointer.get(out, 0, this.rows * this.cols);
		Reference.reachabilityFence(this);
	}

	/** Overwrites all values from in, row-major. */
	public void copyFrom(double[] in) {
		this.pointer.put(in, 0, this.rows * this.cols);
		Reference.reachabilityFence(this);
	}

	/**
	 * Copies rows order[from..to) of a row-major heap matrix with this matrix's width
	 * into this matrix's first to-from rows: row copies on the heap into staging, then
	 * one bulk copy to native memory.
	 */
	public void gather(DenseRows source, int[] order, int from, int to, double[] staging) {
		int width = this.cols;
		int count = to - from;
		for (int r = 0; r < count; r++) {
			source.copyRow(order[from + r], staging, r * width);
		}
		this.pointer.put(staging, 0, count * width);
		Reference.reachabilityFence(this);
	}

	/**
	 * As {@link #gather(DenseRows, int[], int, int, double[])} from one row-major array.
	 */
	public void gather(double[] source, int[] order, int from, int to, double[] staging) {
		gather(new DenseRows(source, source.length / this.cols, this.cols), order, from, to, staging);
	}

	/**
	 * Collects matrices to release together; closing frees their native memory at once
	 * instead of after a GC.
	 */
	public static final class Owner implements AutoCloseable {

		private final List<NativeMatrix> matrices = new ArrayList<>();

		public NativeMatrix add(NativeMatrix matrix) {
			this.matrices.add(matrix);
			return matrix;
		}

		@Override
		public void close() {
			for (NativeMatrix matrix : this.matrices) {
				if (matrix.array.closeable()) {
					matrix.array.close();
				}
			}
			this.matrices.clear();
		}

	}

}
