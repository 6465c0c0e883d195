package io.fitserve.ml.trees;

/** How the trees of a {@link TreeEnsemble} combine. */
public enum EnsembleKind {

	/**
	 * Sum of the trees of each output plus a baseline (margins); one tree per output per
	 * iteration.
	 */
	GRADIENT_BOOSTING,

	/** Average of the trees' leaf values (class probabilities or means). */
	RANDOM_FOREST

}
