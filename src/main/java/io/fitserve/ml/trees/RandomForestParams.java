package io.fitserve.ml.trees;

/**
 * Parameters of {@link RandomForestTrainer}; {@link #classifierDefaults()} and
 * {@link #regressorDefaults()} give scikit-learn's RandomForest defaults.
 *
 * @param nEstimators trees
 * @param maxDepth maximum depth (root = 0); 0 = unlimited
 * @param minSamplesSplit minimum rows (distinct bootstrap rows) to split a node
 * @param minSamplesLeaf minimum rows per leaf
 * @param maxFeatures features tried per split: a fraction of the features in (0, 1], or 0
 * for sqrt(features) (rounded down, at least 1)
 * @param bootstrap draw each tree's rows with replacement (else all rows)
 * @param maxBins bins per numeric feature for the histogram split search, 2..255
 * @param seed base seed; tree t uses its own SplittableRandom derived from seed and t
 * @param threads worker threads (trees in parallel); 0 = available processors
 */
public record RandomForestParams(int nEstimators, int maxDepth, int minSamplesSplit, int minSamplesLeaf,
		double maxFeatures, boolean bootstrap, int maxBins, long seed, int threads) {

	/** maxFeatures value that means sqrt(features). */
	public static final double SQRT = 0.0;

	public RandomForestParams {
		if (nEstimators < 1 || maxDepth < 0 || minSamplesSplit < 2 || minSamplesLeaf < 1 || maxFeatures < 0
				|| maxFeatures > 1 || maxBins < 2 || maxBins > 255 || threads < 0) {
			throw new IllegalArgumentException("invalid random forest parameters");
		}
	}

	/** RandomForestClassifier: 100 trees, sqrt(features) per split. */
	public static RandomForestParams classifierDefaults() {
		return new RandomForestParams(100, 0, 2, 1, SQRT, true, 255, 0L, 0);
	}

	/** RandomForestRegressor: 100 trees, all features per split. */
	public static RandomForestParams regressorDefaults() {
		return new RandomForestParams(100, 0, 2, 1, 1.0, true, 255, 0L, 0);
	}

	public RandomForestParams withNEstimators(int n) {
		return new RandomForestParams(n, this.maxDepth, this.minSamplesSplit, this.minSamplesLeaf, this.maxFeatures,
				this.bootstrap, this.maxBins, this.seed, this.threads);
	}

	public RandomForestParams withTree(int maxDepth, int minSamplesSplit, int minSamplesLeaf) {
		return new RandomForestParams(this.nEstimators, maxDepth, minSamplesSplit, minSamplesLeaf, this.maxFeatures,
				this.bootstrap, this.maxBins, this.seed, this.threads);
	}

	public RandomForestParams withMaxFeatures(double maxFeatures) {
		return new RandomForestParams(this.nEstimators, this.maxDepth, this.minSamplesSplit, this.minSamplesLeaf,
				maxFeatures, this.bootstrap, this.maxBins, this.seed, this.threads);
	}

	public RandomForestParams withBootstrap(boolean bootstrap) {
		return new RandomForestParams(this.nEstimators, this.maxDepth, this.minSamplesSplit, this.minSamplesLeaf,
				this.maxFeatures, bootstrap, this.maxBins, this.seed, this.threads);
	}

	public RandomForestParams withSeed(long seed) {
		return new RandomForestParams(this.nEstimators, this.maxDepth, this.minSamplesSplit, this.minSamplesLeaf,
				this.maxFeatures, this.bootstrap, this.maxBins, seed, this.threads);
	}

	public RandomForestParams withThreads(int threads) {
		return new RandomForestParams(this.nEstimators, this.maxDepth, this.minSamplesSplit, this.minSamplesLeaf,
				this.maxFeatures, this.bootstrap, this.maxBins, this.seed, threads);
	}

	int featuresPerSplit(int features) {
		if (this.maxFeatures == SQRT) {
			return Math.max(1, (int) Math.sqrt(features));
		}
		return Math.max(1, (int) (this.maxFeatures * features));
	}

}
