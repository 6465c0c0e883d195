package io.fitserve.ml;

/** Hidden-layer activations. */
public enum Activation {
	RELU, TANH, SIGMOID
}
