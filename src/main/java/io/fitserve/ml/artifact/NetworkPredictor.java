package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.nn.Network;
import io.fitserve.ml.nn.NetworkWeights;
import java.util.List;
import java.util.Objects;

/**
 * A network of two or more dense layers (MLP); a one-layer network is a
 * {@link LinearPredictor} (see {@link Predictor#network}).
 */
public record NetworkPredictor(NetworkWeights weights) implements Predictor, DenseNetwork {

	/** Header kind of networks, linear ones included. */
	static final String KIND = "network";

	public NetworkPredictor {
		Objects.requireNonNull(weights, "weights");
		if (weights.layers() == null || weights.layers().size() < 2) {
			throw new IllegalArgumentException("a network predictor has two or more layers, got "
					+ (weights.layers() == null ? "no" : weights.layers().size())
					+ " (a one-layer network is a LinearPredictor)");
		}
	}

	@Override
	public String kind() {
		return KIND;
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

}
