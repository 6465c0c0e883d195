package io.fitserve.ml.resample;

import java.util.Objects;

/**
 * The training rows after resampling, as positions into the rows it was planned on. Row i
 * of the result is row {@code base[i]} when {@code partner[i]} is -1 (a kept or repeated
 * row); otherwise it is a SMOTE row: each numeric column
 * {@code x[base] + gap * (x[partner] - x[base])} and each categorical feature the
 * category {@code categories[i][feature]} (an index into that feature's categories; -1
 * for numeric features). Its class is always the base row's.
 *
 * @param neighbours the k SMOTE searched (0 for the other methods)
 * @param countsBefore rows per class before
 * @param countsAfter rows per class after
 */
public record ResamplePlan(ResampleMethod method, int[] base, int[] partner, double[] gap, int[][] categories,
		int neighbours, int[] countsBefore, int[] countsAfter) {

	public ResamplePlan {
		Objects.requireNonNull(method, "method");
		if (partner.length != base.length || gap.length != base.length || categories.length != base.length) {
			throw new IllegalArgumentException("every row needs a base, a partner, a gap and categories");
		}
	}

	/** Rows after resampling. */
	public int rows() {
		return this.base.length;
	}

	/** Whether row i is a synthetic SMOTE row. */
	public boolean synthetic(int i) {
		return this.partner[i] >= 0;
	}

	/** Whether any row is synthetic (otherwise the result is a list of original rows). */
	public boolean hasSynthetic() {
		for (int p : this.partner) {
			if (p >= 0) {
				return true;
			}
		}
		return false;
	}

	/** The class of each row after resampling, given the classes of the rows before. */
	public int[] classes(int[] classesBefore) {
		int[] out = new int[this.base.length];
		for (int i = 0; i < out.length; i++) {
			out[i] = classesBefore[this.base[i]];
		}
		return out;
	}

	/** values[base[i]] for each row i, as the targets of the rows after resampling. */
	public double[] targets(double[] before) {
		double[] out = new double[this.base.length];
		for (int i = 0; i < out.length; i++) {
			out[i] = before[this.base[i]];
		}
		return out;
	}

}
