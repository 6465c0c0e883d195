package io.fitserve.ml.data;

import java.util.Objects;

/**
 * A dense matrix stored row-major: the layout the trainers read row by row and copy into
 * native memory, without the per-row objects and pointer chasing of a {@code double[][]}.
 *
 * <p>
 * A small matrix is one flat array. A large one ({@link #allocate}) is cut into blocks of
 * whole rows of at most {@link #MAX_BLOCK_VALUES} values each: one 1.6 GB array (10M rows
 * x 20) needs that much contiguous heap, which a heap holding the dataset's columns may
 * not have in one piece even when it has the bytes (G1 never moves such an array), while
 * 8 MB blocks fit wherever there is room. Rows never straddle blocks, and every value is
 * the same either way: readers that go row by row give the same results bit for bit.
 */
public final class DenseRows {

	/** The most values one block of a large matrix holds (8 MB). */
	public static final int MAX_BLOCK_VALUES = 1 << 20;

	private final double[][] blocks;

	private final int blockRows;

	private final int rows;

	private final int cols;

	/** A matrix over one flat row-major array (not copied). */
	public DenseRows(double[] data, int rows, int cols) {
		Objects.requireNonNull(data, "data");
		if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
			throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix needs " + ((long) rows * cols)
					+ " values, got " + data.length);
		}
		this.blocks = new double[][] { data };
		this.blockRows = Math.max(rows, 1);
		this.rows = rows;
		this.cols = cols;
	}

	private DenseRows(int rows, int cols, int blockRows) {
		if (rows < 0 || cols < 0 || blockRows < 1) {
			throw new IllegalArgumentException("bad shape " + rows + " x " + cols + " in blocks of " + blockRows);
		}
		int count = Math.max(1, (rows + blockRows - 1) / blockRows);
		this.blocks = new double[count][];
		for (int b = 0; b < count; b++) {
			int n = Math.min(blockRows, rows - b * blockRows);
			this.blocks[b] = new double[Math.multiplyExact(Math.max(n, 0), cols)];
		}
		this.blockRows = blockRows;
		this.rows = rows;
		this.cols = cols;
	}

	/**
	 * A zero matrix: one array when it has at most {@link #MAX_BLOCK_VALUES} values,
	 * blocks of whole rows otherwise.
	 */
	public static DenseRows allocate(int rows, int cols) {
		return allocate(rows, cols, Math.max(1, MAX_BLOCK_VALUES / Math.max(cols, 1)));
	}

	/** A zero matrix in blocks of blockRows rows (one block when it fits in one). */
	public static DenseRows allocate(int rows, int cols, int blockRows) {
		if (rows <= blockRows) {
			return new DenseRows(new double[Math.multiplyExact(rows, cols)], rows, cols);
		}
		return new DenseRows(rows, cols, blockRows);
	}

	/** No rows of the given width. */
	public static DenseRows empty(int cols) {
		return new DenseRows(new double[0], 0, cols);
	}

	/**
	 * Copies rows of equal length; their width is that of the first row (0 when there are
	 * none).
	 */
	public static DenseRows of(double[][] x) {
		Objects.requireNonNull(x, "x");
		int cols = x.length == 0 ? 0 : Objects.requireNonNull(x[0], "row 0").length;
		double[] data = new double[Math.multiplyExact(x.length, cols)];
		for (int r = 0; r < x.length; r++) {
			double[] row = x[r];
			if (row == null || row.length != cols) {
				throw new IllegalArgumentException("row " + r + " does not have " + cols + " values");
			}
			System.arraycopy(row, 0, data, r * cols, cols);
		}
		return new DenseRows(data, x.length, cols);
	}

	public int rows() {
		return this.rows;
	}

	public int cols() {
		return this.cols;
	}

	/** Rows per block (every block but the last holds exactly this many). */
	public int blockRows() {
		return this.blockRows;
	}

	public int blockCount() {
		return this.blocks.length;
	}

	/** Block b: its rows row-major, starting with row b * blockRows(). */
	public double[] block(int b) {
		return this.blocks[b];
	}

	/** Whether the matrix is one array ({@link #data()}). */
	public boolean contiguous() {
		return this.blocks.length == 1;
	}

	/**
	 * The one row-major array of a contiguous matrix.
	 * @throws IllegalStateException for a matrix in blocks
	 */
	public double[] data() {
		if (!contiguous()) {
			throw new IllegalStateException("a " + this.rows + " x " + this.cols + " matrix in " + this.blocks.length
					+ " blocks has no single array");
		}
		return this.blocks[0];
	}

	/** The array holding row r (see {@link #offset(int)}). */
	public double[] arrayOf(int r) {
		return this.blocks[r / this.blockRows];
	}

	/** Where row r starts in {@link #arrayOf(int)}. */
	public int offset(int r) {
		return (r % this.blockRows) * this.cols;
	}

	public double get(int r, int c) {
		Objects.checkIndex(r, this.rows);
		Objects.checkIndex(c, this.cols);
		return arrayOf(r)[offset(r) + c];
	}

	/** A copy of row r. */
	public double[] row(int r) {
		Objects.checkIndex(r, this.rows);
		double[] out = new double[this.cols];
		System.arraycopy(arrayOf(r), offset(r), out, 0, this.cols);
		return out;
	}

	/** Copies row r into out at offset to. */
	public void copyRow(int r, double[] out, int to) {
		System.arraycopy(arrayOf(r), offset(r), out, to, this.cols);
	}

	/** A copy as one array per row. */
	public double[][] toArrays() {
		double[][] out = new double[this.rows][];
		for (int r = 0; r < this.rows; r++) {
			out[r] = row(r);
		}
		return out;
	}

	/** All values in one row-major array: {@link #data()} itself when contiguous. */
	public double[] flat() {
		if (contiguous()) {
			return this.blocks[0];
		}
		double[] out = new double[Math.multiplyExact(this.rows, this.cols)];
		int at = 0;
		for (double[] block : this.blocks) {
			System.arraycopy(block, 0, out, at, block.length);
			at += block.length;
		}
		return out;
	}

}
