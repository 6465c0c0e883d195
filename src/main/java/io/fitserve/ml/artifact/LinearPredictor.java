package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.explain.Explanations;
import io.fitserve.ml.nn.Network;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.List;
import java.util.Objects;

/**
 * A one-layer network: linear regression, logistic (or softmax) regression, linear SVM.
 * Explainable: its score is linear in the encoded inputs.
 */
public record LinearPredictor(
		NetworkWeights weights) implements Predictor, DenseNetwork, Explainable, LinearCoefficients {

	public LinearPredictor {
		Objects.requireNonNull(weights, "weights");
		if (weights.layers() == null || weights.layers().size() != 1) {
			throw new IllegalArgumentException("a linear model is a one-layer network, got "
					+ (weights.layers() == null ? "no" : weights.layers().size()) + " layers");
		}
	}

	@Override
	public String kind() {
		return NetworkPredictor.KIND;
	}

	@Override
	public double[] predict(double[] x, int outputs) {
		return Network.predict(this.weights, x, outputs);
	}

	@Override
	public double[][] predictBatch(double[][] x, int outputs) {
		return Network.predictBatch(this.weights, x, outputs);
	}

	@Override
	public void checkFits(Task task, List<String> classLabels) {
		// as before predictors: the codec and the ONNX exporter check the shapes
	}

	@Override
	public int scoreOutputs() {
		return this.weights.layers().get(0).outputs();
	}

	@Override
	public Explanations.RowExplanation explain(Preprocessing preprocessing, double[] xEncoded, int output) {
		return Explanations.contributions(preprocessing, this.weights, xEncoded, output);
	}

	@Override
	public List<Explanations.Coefficient> standardizedCoefficients(Preprocessing preprocessing,
			List<String> classLabels) {
		return Explanations.standardizedCoefficients(preprocessing, this.weights, classLabels);
	}

}
