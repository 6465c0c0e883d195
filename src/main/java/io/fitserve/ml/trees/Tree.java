package io.fitserve.ml.trees;

/**
 * One binary decision tree in flat arrays (node 0 is the root). For an internal node
 * {@code n}: a row goes left when its value of {@code feature[n]} is {@code <=}
 * {@code threshold[n]} (numeric), or when its category code is in the bitset
 * {@code leftCategories[n]} (categorical; null for numeric nodes); a missing value (NaN,
 * or an unknown category) goes left iff {@code missingLeft[n]}. A leaf has
 * {@code feature = -1} and {@code left = right = -1}.
 *
 * @param feature split feature per node, -1 for leaves
 * @param threshold numeric threshold (a bin's upper edge; +inf splits missing from the
 * rest)
 * @param missingLeft where missing values go
 * @param left left child, -1 for leaves
 * @param right right child, -1 for leaves
 * @param leftCategories per node the codes going left (categorical splits), else null
 * @param valueDim values per node (1, or the class count for forest classification)
 * @param value node values, {@code value[node * valueDim + k]}: leaf outputs (gradient
 * boosting: already multiplied by the learning rate; forest: class probabilities or the
 * mean)
 * @param cover training weight (sample count when unweighted) that reached each node
 * @param gain split gain per internal node (0 for leaves)
 */
public record Tree(int[] feature, double[] threshold, boolean[] missingLeft, int[] left, int[] right,
		long[][] leftCategories, int valueDim, double[] value, double[] cover, double[] gain) {

	public int nodeCount() {
		return this.feature.length;
	}

	/**
	 * The leaf a row falls into.
	 * @param row raw feature values
	 * @param knownCategories per feature the codes seen in training (null entries for
	 * numeric features); codes outside it count as missing
	 */
	public int leafIndex(double[] row, long[][] knownCategories) {
		int n = 0;
		while (this.left[n] >= 0) {
			n = goesLeft(n, row[this.feature[n]], knownCategories) ? this.left[n] : this.right[n];
		}
		return n;
	}

	boolean goesLeft(int node, double v, long[][] knownCategories) {
		long[] cats = this.leftCategories[node];
		if (cats != null) {
			long[] known = knownCategories[this.feature[node]];
			int code = knownCode(v, known);
			if (code < 0) {
				return this.missingLeft[node];
			}
			return inBitset(cats, code);
		}
		if (Double.isNaN(v)) {
			return this.missingLeft[node];
		}
		return v <= this.threshold[node];
	}

	static int knownCode(double v, long[] known) {
		if (!(v >= 0) || v >= known.length * 64.0 || v != Math.rint(v)) {
			return -1;
		}
		int c = (int) v;
		return inBitset(known, c) ? c : -1;
	}

	static boolean inBitset(long[] bits, int i) {
		return (i >>> 6) < bits.length && (bits[i >>> 6] & (1L << i)) != 0;
	}

	/** Depth of the deepest leaf (a single leaf has depth 0). */
	public int maxDepth() {
		return depth(0);
	}

	private int depth(int n) {
		return (this.left[n] < 0) ? 0 : 1 + Math.max(depth(this.left[n]), depth(this.right[n]));
	}

	/** Number of leaves. */
	public int leafCount() {
		int c = 0;
		for (int l : this.left) {
			if (l < 0) {
				c++;
			}
		}
		return c;
	}

}
