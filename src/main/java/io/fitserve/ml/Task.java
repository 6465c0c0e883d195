package io.fitserve.ml;

/** The kind of prediction a model makes. */
public enum Task {
	REGRESSION, CLASSIFICATION
}
