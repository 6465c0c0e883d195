package io.fitserve.ml.eval;

/**
 * Regression quality (scikit-learn definitions): mean squared error, its root, mean
 * absolute error, coefficient of determination, median absolute error and explained
 * variance.
 */
public record RegressionMetrics(double mse, double rmse, double mae, double r2, double medianAbsoluteError,
		double explainedVariance) {
}
