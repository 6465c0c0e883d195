package io.fitserve.ml.data;

import java.util.Objects;

/**
 * A dense matrix stored row-major in one flat array: the layout the trainers copy into
 * native memory in one piece, without the per-row objects and pointer chasing of a
 * {@code double[][]}.
 */
public record DenseRows(double[] data, int rows, int cols) {

	public DenseRows {
		Objects.requireNonNull(data, "data");
		if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
			throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix needs " + ((long) rows * cols)
					+ " values, got " + data.length);
		}
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

	/** A copy of row r. */
	public double[] row(int r) {
		Objects.checkIndex(r, this.rows);
		double[] out = new double[this.cols];
		System.arraycopy(this.data, r * this.cols, out, 0, this.cols);
		return out;
	}

	/** A copy as one array per row. */
	public double[][] toArrays() {
		double[][] out = new double[this.rows][];
		for (int r = 0; r < this.rows; r++) {
			out[r] = row(r);
		}
		return out;
	}

}
