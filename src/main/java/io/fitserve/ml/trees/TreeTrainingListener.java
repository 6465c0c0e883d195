package io.fitserve.ml.trees;

/**
 * Progress and cancellation hook of the tree trainers. The trainers call
 * {@link #cancelled()} before each boosting iteration (gradient boosting) or before
 * starting each tree (random forest); when it returns true the trainer stops and throws
 * {@link java.util.concurrent.CancellationException} (no partial model is returned).
 */
public interface TreeTrainingListener {

	/** A listener that ignores progress and never cancels. */
	TreeTrainingListener NONE = new TreeTrainingListener() {
	};

	/**
	 * Called after each boosting iteration (1-based) or each finished tree of a forest.
	 * @param iteration iterations (or trees) done so far
	 * @param trainLoss the training loss (gradient boosting; NaN for a random forest)
	 * @param validationLoss the validation loss, NaN when there is no validation data
	 */
	default void onIteration(int iteration, double trainLoss, double validationLoss) {
	}

	/** Polled between iterations; true stops training with a CancellationException. */
	default boolean cancelled() {
		return false;
	}

}
