package io.fitserve.ml.trees;

/**
 * Column-major training (or validation) data: {@code columns[feature][row]}, NaN =
 * missing.
 *
 * @param columns feature columns, all of the same length
 * @param y regression target, or class index {@code 0..K-1} as a double
 * @param sampleWeights per-row weights, or null for all 1 (class weights are passed here
 * by the caller)
 */
public record TreeDataset(double[][] columns, double[] y, double[] sampleWeights) {

	public TreeDataset {
		if (columns == null || columns.length == 0) {
			throw new IllegalArgumentException("at least one feature column is required");
		}
		int n = columns[0].length;
		for (double[] c : columns) {
			if (c.length != n) {
				throw new IllegalArgumentException("all columns must have the same length");
			}
		}
		if (y != null && y.length != n) {
			throw new IllegalArgumentException("y has " + y.length + " rows, columns have " + n);
		}
		if (sampleWeights != null) {
			if (sampleWeights.length != n) {
				throw new IllegalArgumentException("sampleWeights has the wrong length");
			}
			for (double w : sampleWeights) {
				if (!(w >= 0) || Double.isInfinite(w)) {
					throw new IllegalArgumentException("sample weights must be finite and >= 0");
				}
			}
		}
	}

	public TreeDataset(double[][] columns, double[] y) {
		this(columns, y, null);
	}

	public int rows() {
		return this.columns[0].length;
	}

	public int features() {
		return this.columns.length;
	}

	double weight(int row) {
		return this.sampleWeights == null ? 1.0 : this.sampleWeights[row];
	}

	/** Transposes row-major data ({@code rows[row][feature]}) to columns. */
	public static double[][] toColumns(double[][] rows) {
		int f = rows.length == 0 ? 0 : rows[0].length;
		double[][] cols = new double[f][rows.length];
		for (int r = 0; r < rows.length; r++) {
			for (int j = 0; j < f; j++) {
				cols[j][r] = rows[r][j];
			}
		}
		return cols;
	}

}
