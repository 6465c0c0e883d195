package io.fitserve.training.algorithms;

/** Row lists as indices into the stored dataset. */
public final class Rows {

	private Rows() {
	}

	/**
	 * The same rows (repeats kept) in ascending order: O(rows + largest row). Distinct
	 * rows (a split's) are marked in a bit set, one bit a row, small enough to stay in
	 * cache while the shuffled rows are marked; repeats (a bootstrap's) are counted.
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
		long[] marked = new long[(max >>> 6) + 1];
		for (int row : rows) {
			long bit = 1L << row;
			if ((marked[row >>> 6] & bit) != 0) {
				return counted(rows, max);
			}
			marked[row >>> 6] |= bit;
		}
		int[] out = new int[rows.length];
		int k = 0;
		for (int w = 0; w < marked.length; w++) {
			long bits = marked[w];
			while (bits != 0) {
				out[k++] = (w << 6) + Long.numberOfTrailingZeros(bits);
				bits &= bits - 1;
			}
		}
		return out;
	}

	private static int[] counted(int[] rows, int max) {
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
