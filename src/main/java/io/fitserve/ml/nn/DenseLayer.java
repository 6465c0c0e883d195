package io.fitserve.ml.nn;

/** A fully connected layer; weights are row-major [inputs][outputs]. */
public record DenseLayer(int inputs, int outputs, double[] weights, double[] bias) {
}
