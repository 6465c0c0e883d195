package io.fitserve.training.algorithms;

/** Parameters of an algorithm trained by a gradient optimizer over epochs. */
public interface GradientTrained {

	GradientSettings gradient();

}
