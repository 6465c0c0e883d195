package io.fitserve.ml.trees;

/**
 * Parameters of {@link GradientBoostingTrainer}; {@link #defaults(TreeLoss)} gives
 * scikit-learn's HistGradientBoosting defaults.
 *
 * @param loss the loss
 * @param nEstimators boosting iterations (scikit-learn's max_iter)
 * @param learningRate shrinkage of leaf values
 * @param maxLeaves leaves per tree (best-first growth by gain); 0 = unlimited
 * @param maxDepth maximum depth (root = 0); 0 = unlimited
 * @param minSamplesLeaf minimum rows per leaf (>= 1)
 * @param minHessianLeaf minimum sum of hessians per leaf
 * @param l2 L2 regularization on leaf values (and in the gain)
 * @param maxBins bins for non-missing values, 2..255
 * @param subsample fraction of rows drawn without replacement per iteration
 * @param colsampleByTree fraction of features drawn per tree
 * @param earlyStoppingRounds stop when the validation loss has not improved by more than
 * {@code tol} for this many iterations (only with validation data; 0 = off)
 * @param tol minimum improvement of the validation loss
 * @param restoreBest keep only the iterations up to the best validation loss when early
 * stopping (scikit-learn keeps all iterations run; false does that)
 * @param seed seeds row/feature sampling and the binning subsample
 * @param threads worker threads; 0 = available processors
 */
public record GradientBoostingParams(TreeLoss loss, int nEstimators, double learningRate, int maxLeaves, int maxDepth,
		int minSamplesLeaf, double minHessianLeaf, double l2, int maxBins, double subsample, double colsampleByTree,
		int earlyStoppingRounds, double tol, boolean restoreBest, long seed, int threads) {

	public GradientBoostingParams {
		if (loss == null) {
			throw new IllegalArgumentException("loss is required");
		}
		check(nEstimators >= 0, "nEstimators must be >= 0");
		check(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0");
		check(maxLeaves == 0 || maxLeaves >= 2, "maxLeaves must be 0 (unlimited) or >= 2");
		check(maxDepth >= 0, "maxDepth must be >= 0 (0 = unlimited)");
		check(minSamplesLeaf >= 1, "minSamplesLeaf must be >= 1");
		check(minHessianLeaf >= 0, "minHessianLeaf must be >= 0");
		check(l2 >= 0, "l2 must be >= 0");
		check(maxBins >= 2 && maxBins <= 255, "maxBins must be in 2..255");
		check(subsample > 0 && subsample <= 1, "subsample must be in (0, 1]");
		check(colsampleByTree > 0 && colsampleByTree <= 1, "colsampleByTree must be in (0, 1]");
		check(earlyStoppingRounds >= 0, "earlyStoppingRounds must be >= 0");
		check(tol >= 0, "tol must be >= 0");
		check(threads >= 0, "threads must be >= 0");
	}

	private static void check(boolean ok, String message) {
		if (!ok) {
			throw new IllegalArgumentException(message);
		}
	}

	/** scikit-learn 1.2's HistGradientBoosting defaults for a loss. */
	public static GradientBoostingParams defaults(TreeLoss loss) {
		return new GradientBoostingParams(loss, 100, 0.1, 31, 0, 20, 1e-3, 0.0, 255, 1.0, 1.0, 10, 1e-7, true, 0L, 0);
	}

	public GradientBoostingParams withNEstimators(int n) {
		return new GradientBoostingParams(this.loss, n, this.learningRate, this.maxLeaves, this.maxDepth,
				this.minSamplesLeaf, this.minHessianLeaf, this.l2, this.maxBins, this.subsample, this.colsampleByTree,
				this.earlyStoppingRounds, this.tol, this.restoreBest, this.seed, this.threads);
	}

	public GradientBoostingParams withLearningRate(double lr) {
		return new GradientBoostingParams(this.loss, this.nEstimators, lr, this.maxLeaves, this.maxDepth,
				this.minSamplesLeaf, this.minHessianLeaf, this.l2, this.maxBins, this.subsample, this.colsampleByTree,
				this.earlyStoppingRounds, this.tol, this.restoreBest, this.seed, this.threads);
	}

	public GradientBoostingParams withTree(int maxLeaves, int maxDepth, int minSamplesLeaf) {
		return new GradientBoostingParams(this.loss, this.nEstimators, this.learningRate, maxLeaves, maxDepth,
				minSamplesLeaf, this.minHessianLeaf, this.l2, this.maxBins, this.subsample, this.colsampleByTree,
				this.earlyStoppingRounds, this.tol, this.restoreBest, this.seed, this.threads);
	}

	public GradientBoostingParams withL2(double l2) {
		return new GradientBoostingParams(this.loss, this.nEstimators, this.learningRate, this.maxLeaves, this.maxDepth,
				this.minSamplesLeaf, this.minHessianLeaf, l2, this.maxBins, this.subsample, this.colsampleByTree,
				this.earlyStoppingRounds, this.tol, this.restoreBest, this.seed, this.threads);
	}

	public GradientBoostingParams withSampling(double subsample, double colsampleByTree, long seed) {
		return new GradientBoostingParams(this.loss, this.nEstimators, this.learningRate, this.maxLeaves, this.maxDepth,
				this.minSamplesLeaf, this.minHessianLeaf, this.l2, this.maxBins, subsample, colsampleByTree,
				this.earlyStoppingRounds, this.tol, this.restoreBest, seed, this.threads);
	}

	public GradientBoostingParams withEarlyStopping(int rounds, double tol, boolean restoreBest) {
		return new GradientBoostingParams(this.loss, this.nEstimators, this.learningRate, this.maxLeaves, this.maxDepth,
				this.minSamplesLeaf, this.minHessianLeaf, this.l2, this.maxBins, this.subsample, this.colsampleByTree,
				rounds, tol, restoreBest, this.seed, this.threads);
	}

	public GradientBoostingParams withMaxBins(int maxBins) {
		return new GradientBoostingParams(this.loss, this.nEstimators, this.learningRate, this.maxLeaves, this.maxDepth,
				this.minSamplesLeaf, this.minHessianLeaf, this.l2, maxBins, this.subsample, this.colsampleByTree,
				this.earlyStoppingRounds, this.tol, this.restoreBest, this.seed, this.threads);
	}

	public GradientBoostingParams withThreads(int threads) {
		return new GradientBoostingParams(this.loss, this.nEstimators, this.learningRate, this.maxLeaves, this.maxDepth,
				this.minSamplesLeaf, this.minHessianLeaf, this.l2, this.maxBins, this.subsample, this.colsampleByTree,
				this.earlyStoppingRounds, this.tol, this.restoreBest, this.seed, threads);
	}

	/**
	 * Parameters to refit on all data (no validation set) with exactly the iterations a
	 * model kept: nEstimators = {@code model.iterations()}, early stopping off.
	 */
	public GradientBoostingParams forRefit(TreeEnsemble model) {
		return withNEstimators(model.iterations()).withEarlyStopping(0, this.tol, this.restoreBest);
	}

}
