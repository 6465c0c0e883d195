package io.fitserve.ml;

/** Regression quality: mean squared error, its root, mean absolute error and the coefficient of determination. */
public record RegressionMetrics(double mse, double rmse, double mae, double r2) {
}
