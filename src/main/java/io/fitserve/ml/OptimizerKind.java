package io.fitserve.ml;

/** Gradient update rules. */
public enum OptimizerKind {
	SGD, MOMENTUM, ADAM
}
