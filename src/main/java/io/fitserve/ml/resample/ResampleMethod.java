package io.fitserve.ml.resample;

/**
 * How the training rows of an imbalanced classification are rebalanced: not at all, by
 * repeating rows of the small classes, by dropping rows of the large ones, or by SMOTE's
 * synthetic rows between near neighbours of a small class.
 */
public enum ResampleMethod {

	NONE, OVERSAMPLE, UNDERSAMPLE, SMOTE

}
