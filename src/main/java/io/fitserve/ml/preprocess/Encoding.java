package io.fitserve.ml.preprocess;

/**
 * How a {@link Preprocessing} encodes its features; stored in the artifact header (absent
 * in artifacts written before it existed, which read as {@link #STANDARD}).
 */
public enum Encoding {

	/**
	 * Numeric columns standardized with missing values imputed by the mean (0 after
	 * scaling); categorical and boolean columns one-hot, missing or unseen values imputed
	 * by the most frequent category. For linear models, kernels and networks.
	 */
	STANDARD,

	/**
	 * One encoded column per feature: numeric values as they are (missing = NaN);
	 * categorical and boolean values as the index of their category among the sorted
	 * training categories (missing or unseen = NaN). For tree models, which route missing
	 * values themselves and split on categories directly.
	 */
	ORDINAL

}
