package io.fitserve.ml.trees;

import java.util.Arrays;

/**
 * Which input features are categorical, and how many category codes each categorical
 * feature has. A categorical feature's values are codes {@code 0..k-1} (as doubles); NaN,
 * a negative, a fractional or an out-of-range code, or a code not seen in training, is
 * treated as missing.
 *
 * @param categorical one flag per feature
 * @param categoryCounts per feature the number of codes k (ignored for numeric features)
 */
public record FeatureKinds(boolean[] categorical, int[] categoryCounts) {

	public FeatureKinds {
		if (categorical == null || categoryCounts == null || categorical.length != categoryCounts.length) {
			throw new IllegalArgumentException("categorical and categoryCounts must have one entry per feature");
		}
		for (int f = 0; f < categorical.length; f++) {
			if (categorical[f] && categoryCounts[f] < 1) {
				throw new IllegalArgumentException("categorical feature " + f + " needs a category count >= 1");
			}
		}
	}

	/** All features numeric. */
	public static FeatureKinds allNumeric(int features) {
		return new FeatureKinds(new boolean[features], new int[features]);
	}

	/** The given features categorical with the given counts, the others numeric. */
	public static FeatureKinds of(int features, int[] categoricalFeatures, int[] counts) {
		boolean[] cat = new boolean[features];
		int[] cc = new int[features];
		for (int i = 0; i < categoricalFeatures.length; i++) {
			cat[categoricalFeatures[i]] = true;
			cc[categoricalFeatures[i]] = counts[i];
		}
		return new FeatureKinds(cat, cc);
	}

	public int size() {
		return this.categorical.length;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof FeatureKinds k && Arrays.equals(this.categorical, k.categorical)
				&& Arrays.equals(this.categoryCounts, k.categoryCounts);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.categorical) + Arrays.hashCode(this.categoryCounts);
	}

	@Override
	public String toString() {
		return "FeatureKinds" + Arrays.toString(this.categorical);
	}

}
