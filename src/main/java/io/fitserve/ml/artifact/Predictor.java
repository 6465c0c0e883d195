package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.kernel.KernelModel;
import io.fitserve.ml.nn.NetworkWeights;
import java.util.List;
import java.util.Objects;

/**
 * The fitted model of a {@link ModelArtifact}, one record per kind of model. It maps a
 * row already transformed by the artifact's preprocessing to its outputs.
 * <p>
 * What a model can do beyond predicting is a capability interface it implements, which
 * callers test with {@code instanceof}: {@link Explainable} (exact per-feature
 * contributions: linear and tree models), {@link LinearCoefficients} (linear models),
 * {@link DenseNetwork} (a chain of dense layers, which ONNX export writes). A new kind of
 * model is one record here, one entry in {@code permits} and one branch in
 * {@link ModelArtifactCodec}.
 */
public sealed interface Predictor
		permits LinearPredictor, NetworkPredictor, KernelPredictor, TreePredictor, KMeansPredictor {

	/**
	 * The predictor of network weights: a {@link LinearPredictor} for a one-layer network
	 * (linear and logistic regression, linear SVM), a {@link NetworkPredictor} otherwise
	 * (MLP).
	 */
	static Predictor network(NetworkWeights weights) {
		Objects.requireNonNull(weights, "weights");
		Objects.requireNonNull(weights.layers(), "layers");
		return (weights.layers().size() == 1) ? new LinearPredictor(weights) : new NetworkPredictor(weights);
	}

	/** The predictor of a kernel SVM. */
	static Predictor kernel(KernelModel model) {
		return new KernelPredictor(model);
	}

	/** The predictor of a tree ensemble (its inputs ordinally encoded). */
	static Predictor trees(io.fitserve.ml.trees.TreeEnsemble model) {
		return new TreePredictor(model);
	}

	/**
	 * The kind written in the artifact header: "network" (linear models and MLPs share
	 * the network layout), "kernel" or "trees".
	 */
	String kind();

	/**
	 * Predicts one encoded row: {@code {value}} for regression, class probabilities
	 * summing to 1 for classification.
	 * @param outputs the number of classes for classification, 0 for regression
	 */
	double[] predict(double[] x, int outputs);

	/** Predicts each encoded row, as {@link #predict}. */
	default double[][] predictBatch(double[][] x, int outputs) {
		Objects.requireNonNull(x, "x");
		double[][] result = new double[x.length][];
		for (int r = 0; r < x.length; r++) {
			result[r] = predict(x[r], outputs);
		}
		return result;
	}

	/**
	 * Throws IllegalArgumentException when this model cannot serve the task with these
	 * class labels (empty for regression).
	 */
	void checkFits(Task task, List<String> classLabels);

}
