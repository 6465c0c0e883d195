package io.fitserve.training.algorithms;

/** Row lists as indices into the stored dataset. */
public final class Rows {

	private Rows() {
	}

	/**
	 * The same rows (repeats kept) in ascending order, by counting: O(rows + largest
	 * row).
	 */
	public static int[] storageOrder(int[] rows) {
		int max = -1;
		boolean ascending = true;
		for (int i = 0; i < rows.length; i++) {
			ascending &= i == 0 || rows[i - 1] <= rows[i];
			max = Math.max(max, rows[i]);
		}
		if (ascending) {
			return rows;
		}
		int[] count = new int[max + 1];
		for (int row : rows) {
			count[row]++;
		}
		int[] out = new int[rows.length];
		int k = 0;
		for (int row = 0; row <= max; row++) {
			for (int c = count[row]; c > 0; c--) {
				out[k++] = row;
			}
		}
		return out;
	}

}
