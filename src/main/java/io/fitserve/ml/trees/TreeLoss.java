package io.fitserve.ml.trees;

/** Losses of the gradient boosting trainer (scikit-learn names in brackets). */
public enum TreeLoss {

	/** Binary or multinomial log loss ({@code log_loss}); classification. */
	LOG_LOSS,

	/** Half squared error ({@code squared_error}); regression. */
	SQUARED_ERROR,

	/**
	 * Absolute error, leaves set to the weighted median residual
	 * ({@code absolute_error}).
	 */
	ABSOLUTE_ERROR,

	/**
	 * Huber loss with delta = the 0.9 quantile of the absolute residuals each iteration
	 * (as scikit-learn's GradientBoostingRegressor(loss="huber", alpha=0.9)).
	 */
	HUBER;

	public boolean classification() {
		return this == LOG_LOSS;
	}

}
