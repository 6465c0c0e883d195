package io.fitserve.ml.artifact;

import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * Compresses the weight matrices of dense-layer models (linear models and MLPs) to
 * {@link WeightPrecision#FLOAT16} or {@link WeightPrecision#INT8}. Biases stay doubles:
 * there is one per output neuron, so they weigh nothing beside the matrices, and an
 * intercept rounded to a half would shift every prediction. The codec stores the
 * quantised values; the predictor holds their exact dequantised doubles, so a model
 * serves, explains and exports through the code every model uses.
 */
public final class Quantization {

	/** The largest int8 code: the range is symmetric, [-127, 127] (-128 is unused). */
	static final int INT8_MAX = 127;

	/** The smallest magnitude that rounds to a float16 infinity. */
	static final double FLOAT16_OVERFLOW = 65520;

	private Quantization() {
	}

	/**
	 * The artifact with its weights quantised to the precision (and back to doubles), the
	 * precision recorded so the codec stores the compact form. Throws
	 * {@link ModelCompressionNotSupportedException} for a model without dense layers
	 * (trees, kernel SVMs, k-means) and for one already compressed.
	 */
	public static ModelArtifact compress(ModelArtifact artifact, WeightPrecision precision) {
		if (precision == null || precision == WeightPrecision.FLOAT64) {
			throw new IllegalArgumentException("compress to float16 or int8, not " + precision);
		}
		if (artifact.weightPrecision() != WeightPrecision.FLOAT64) {
			throw new ModelCompressionNotSupportedException("the model is already compressed ("
					+ artifact.weightPrecision().wireName() + " weights); compress the original model instead");
		}
		if (!(artifact.predictor() instanceof DenseNetwork network)) {
			throw new ModelCompressionNotSupportedException("a " + artifact.predictor().kind()
					+ " model has no dense weight matrices to quantise; only linear models and MLPs are compressed");
		}
		NetworkWeights weights = network.weights();
		if (precision == WeightPrecision.FLOAT16) {
			checkHalfRange(weights);
		}
		List<DenseLayer> layers = new ArrayList<>(weights.layers().size());
		for (DenseLayer layer : weights.layers()) {
			double[] stored = switch (precision) {
				case FLOAT16 -> dequantiseHalf(quantiseHalf(layer.weights()));
				case INT8 -> {
					float[] scales = int8Scales(layer.weights(), layer.inputs(), layer.outputs());
					yield dequantiseInt8(quantiseInt8(layer.weights(), layer.outputs(), scales), layer.outputs(),
							scales);
				}
				default -> throw new IllegalStateException();
			};
			layers.add(new DenseLayer(layer.inputs(), layer.outputs(), stored, layer.bias().clone()));
		}
		NetworkWeights quantised = new NetworkWeights(List.copyOf(layers), weights.hiddenActivation(),
				weights.output());
		return new ModelArtifact(artifact.task(), artifact.classLabels(), artifact.preprocessing(),
				Predictor.network(quantised), artifact.provenance(), artifact.background(), precision);
	}

	/**
	 * Refuses weights that float16 cannot hold: a magnitude from 65520 up would become
	 * infinity (and its predictions NaN).
	 */
	private static void checkHalfRange(NetworkWeights weights) {
		for (DenseLayer layer : weights.layers()) {
			for (double w : layer.weights()) {
				if (!Double.isFinite(w) || Math.abs(w) >= FLOAT16_OVERFLOW) {
					throw new ModelCompressionNotSupportedException("a weight of " + w
							+ " is beyond float16's range (largest 65504); int8 scales each neuron to its weights");
				}
			}
		}
	}

	/** Each weight as the nearest half. */
	static short[] quantiseHalf(double[] weights) {
		short[] halves = new short[weights.length];
		for (int i = 0; i < weights.length; i++) {
			halves[i] = Float16.fromDouble(weights[i]);
		}
		return halves;
	}

	static double[] dequantiseHalf(short[] halves) {
		double[] weights = new double[halves.length];
		for (int i = 0; i < halves.length; i++) {
			weights[i] = Float16.toDouble(halves[i]);
		}
		return weights;
	}

	/**
	 * One scale per output neuron (column o of the row-major [inputs][outputs] matrix):
	 * max |w| / 127, rounded to a float. A float scale times a code of at most 8 bits is
	 * exact in a double, so a dequantised matrix quantises again to the same codes and
	 * scales (the artifact re-encodes byte for byte). A neuron whose weights are all zero
	 * has scale 0.
	 */
	static float[] int8Scales(double[] weights, int inputs, int outputs) {
		float[] scales = new float[outputs];
		for (int o = 0; o < outputs; o++) {
			double max = 0;
			for (int i = 0; i < inputs; i++) {
				double w = weights[i * outputs + o];
				if (!Double.isFinite(w)) {
					throw new ModelCompressionNotSupportedException(
							"a weight is not a finite number; it has no int8 form");
				}
				max = Math.max(max, Math.abs(w));
			}
			float scale = (float) (max / INT8_MAX);
			if (Float.isInfinite(scale)) {
				throw new ModelCompressionNotSupportedException("a weight is too large for an int8 scale");
			}
			scales[o] = scale;
		}
		return scales;
	}

	/**
	 * round(w / scale) to the nearest integer (ties to even), clamped to [-127, 127]; 0
	 * where the scale is 0.
	 */
	static byte[] quantiseInt8(double[] weights, int outputs, float[] scales) {
		byte[] codes = new byte[weights.length];
		for (int k = 0; k < weights.length; k++) {
			double scale = scales[k % outputs];
			double code = (scale == 0) ? 0 : Math.rint(weights[k] / scale);
			codes[k] = (byte) Math.max(-INT8_MAX, Math.min(INT8_MAX, code));
		}
		return codes;
	}

	static double[] dequantiseInt8(byte[] codes, int outputs, float[] scales) {
		double[] weights = new double[codes.length];
		for (int k = 0; k < codes.length; k++) {
			weights[k] = codes[k] * (double) scales[k % outputs];
		}
		return weights;
	}

}
