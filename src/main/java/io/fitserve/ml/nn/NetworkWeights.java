package io.fitserve.ml.nn;

import java.util.List;

/** An immutable trained network; a linear model is a network with one layer. */
public record NetworkWeights(List<DenseLayer> layers, Activation hiddenActivation, OutputKind output) {
}
