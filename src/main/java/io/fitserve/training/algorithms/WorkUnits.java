package io.fitserve.training.algorithms;

/**
 * The repeated passes over the training rows one fit makes at most, as the work limit
 * counts them ({@code fitserve.training.max-work}: count x training rows x fits).
 *
 * @param count passes at most: epochs (L-BFGS iterations), trees or boosting iterations
 * @param name what they are called in the limit's message, e.g. "epochs"
 * @param field the request field a refusal is reported on, e.g. "hyperparameters.epochs"
 */
public record WorkUnits(long count, String name, String field) {

	/** Epochs of a gradient-trained model (iterations of L-BFGS). */
	public static WorkUnits epochs(long epochs) {
		return new WorkUnits(epochs, "epochs", "hyperparameters.epochs");
	}

	/** Trees of a forest, or boosting iterations. */
	public static WorkUnits estimators(long nEstimators) {
		return new WorkUnits(nEstimators, "nEstimators", "hyperparameters.nEstimators");
	}

	/**
	 * Lloyd iterations of k-means: each one measures every row against every centroid, so
	 * it counts as k passes; restarts x maxIter x k (summed over kMin..kMax for k
	 * "auto").
	 */
	public static WorkUnits lloydPasses(long passes) {
		return new WorkUnits(passes, "nInit x maxIter x k", "hyperparameters.maxIter");
	}

}
