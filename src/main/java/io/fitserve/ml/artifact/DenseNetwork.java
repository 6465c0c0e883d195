package io.fitserve.ml.artifact;

import io.fitserve.ml.nn.NetworkWeights;

/**
 * Capability of a {@link Predictor} that is a chain of dense layers: its weights, as the
 * codec stores them and {@link OnnxExporter} writes them.
 */
public interface DenseNetwork {

	NetworkWeights weights();

}
