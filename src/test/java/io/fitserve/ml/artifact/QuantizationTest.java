package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** float16 and int8 weights worked out by hand, and what cannot be compressed. */
class QuantizationTest {

	/** Three numeric inputs: an encoded width of 3. */
	private static Preprocessing preprocessing() {
		List<ColumnData> columns = List.of(
				new ColumnData("a", ColumnType.NUMERIC, new double[] { 0, 1, 2 }, null, null),
				new ColumnData("b", ColumnType.NUMERIC, new double[] { 1, 0, 3 }, null, null),
				new ColumnData("c", ColumnType.NUMERIC, new double[] { 5, 2, 0 }, null, null));
		return Preprocessing.fit(columns, new int[] { 0, 1, 2 });
	}

	@Test
	void int8ScalesArePerOutputNeuronAndCodesRoundToNearest() {
		// row-major [inputs][outputs]: column 0 is {0.5, -1.27, 0.3}, column 1 {-2.54, 1,
		// 0.02}
		double[] w = { 0.5, -2.54, -1.27, 1.0, 0.3, 0.02 };
		float[] scales = Quantization.int8Scales(w, 3, 2);
		// max |w| / 127 per column, as floats: 1.27/127 = 0.01, 2.54/127 = 0.02
		assertThat(scales).containsExactly(0.01f, 0.02f);
		byte[] codes = Quantization.quantiseInt8(w, 2, scales);
		assertThat(codes).containsExactly(50, -127, -127, 50, 30, 1);
		double[] back = Quantization.dequantiseInt8(codes, 2, scales);
		assertThat(back).containsExactly(50 * (double) 0.01f, -127 * (double) 0.02f, -127 * (double) 0.01f,
				50 * (double) 0.02f, 30 * (double) 0.01f, 1 * (double) 0.02f);
		assertThat(back[0]).isCloseTo(0.5, within(1e-7));
	}

	@Test
	void aSingleOutputHasOneScaleForTheWholeMatrix() {
		double[] w = { 2.54, -1.0, 0.0, 0.015 };
		float[] scales = Quantization.int8Scales(w, 4, 1);
		assertThat(scales).containsExactly(0.02f);
		// 0.015 / 0.02 = 0.75 rounds to 1; -1 / 0.02 = -50
		assertThat(Quantization.quantiseInt8(w, 1, scales)).containsExactly(127, -50, 0, 1);
		assertThat(Quantization.int8Scales(new double[] { 0, -0.0 }, 2, 1)).containsExactly(0f);
		assertThat(Quantization.quantiseInt8(new double[] { 0, -0.0 }, 1, new float[] { 0f })).containsExactly(0, 0);
	}

	@Test
	void int8ErrorIsAtMostHalfAScaleAndRequantisingChangesNothing() {
		Random random = new Random(7);
		int inputs = 40;
		int outputs = 5;
		double[] w = new double[inputs * outputs];
		for (int k = 0; k < w.length; k++) {
			w[k] = random.nextGaussian() * (1 + k % outputs);
		}
		float[] scales = Quantization.int8Scales(w, inputs, outputs);
		byte[] codes = Quantization.quantiseInt8(w, outputs, scales);
		double[] back = Quantization.dequantiseInt8(codes, outputs, scales);
		for (int k = 0; k < w.length; k++) {
			assertThat(Math.abs(back[k] - w[k])).isLessThanOrEqualTo(scales[k % outputs] * 0.5000001);
		}
		float[] again = Quantization.int8Scales(back, inputs, outputs);
		assertThat(again).containsExactly(scales);
		assertThat(Quantization.quantiseInt8(back, outputs, again)).containsExactly(codes);
	}

	@Test
	void compressKeepsBiasesAndRecordsThePrecision() {
		DenseLayer layer = new DenseLayer(3, 1, new double[] { 0.1, -2.54, 1.0 / 3 }, new double[] { 0.123456789 });
		ModelArtifact original = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
				Predictor.network(new NetworkWeights(List.of(layer), null, OutputKind.IDENTITY)));
		ModelArtifact half = Quantization.compress(original, WeightPrecision.FLOAT16);
		assertThat(half.weightPrecision()).isEqualTo(WeightPrecision.FLOAT16);
		DenseLayer h = ((DenseNetwork) half.predictor()).weights().layers().get(0);
		// 0.1 -> 0x2e66, -2.54 -> 0xc114 (-2.5390625), 1/3 -> 0x3555
		assertThat(h.weights()).containsExactly(0.0999755859375, -2.5390625, 0.333251953125);
		assertThat(h.bias()).containsExactly(0.123456789);
		assertThat(half.predictor()).isInstanceOf(LinearPredictor.class);

		ModelArtifact int8 = Quantization.compress(original, WeightPrecision.INT8);
		DenseLayer q = ((DenseNetwork) int8.predictor()).weights().layers().get(0);
		// scale 0.02f: 0.1 -> 5, -2.54 -> -127, 1/3 -> 16.67 -> 17
		assertThat(q.weights()).containsExactly(5 * (double) 0.02f, -127 * (double) 0.02f, 17 * (double) 0.02f);
		assertThat(q.bias()).containsExactly(0.123456789);
		double[] x = { 1, 1, 1 };
		assertThat(int8.predict(x)[0]).isCloseTo(q.weights()[0] + q.weights()[1] + q.weights()[2] + 0.123456789,
				within(1e-12));
	}

	@Test
	void mlpsCompressEveryLayer() {
		DenseLayer hidden = new DenseLayer(3, 2, new double[] { 0.5, -2.54, -1.27, 1.0, 0.3, 0.02 },
				new double[] { 0.1, 0.2 });
		DenseLayer out = new DenseLayer(2, 2, new double[] { 1, -1, 0.5, 0.25 }, new double[] { 0, 0 });
		ModelArtifact mlp = new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b"), preprocessing(),
				Predictor.network(new NetworkWeights(List.of(hidden, out), Activation.RELU, OutputKind.SOFTMAX)));
		ModelArtifact int8 = Quantization.compress(mlp, WeightPrecision.INT8);
		assertThat(int8.predictor()).isInstanceOf(NetworkPredictor.class);
		List<DenseLayer> layers = ((DenseNetwork) int8.predictor()).weights().layers();
		assertThat(layers.get(0).weights()).containsExactly(50 * (double) 0.01f, -127 * (double) 0.02f,
				-127 * (double) 0.01f, 50 * (double) 0.02f, 30 * (double) 0.01f, 1 * (double) 0.02f);
		// the output layer's column 0 is {1, 0.5}: scale (float) 1/127, 1 is code 127;
		// 0.5
		// is 63.5 scales, a tie that the float scale's rounding breaks: only its bound
		assertThat(layers.get(1).weights()[0]).isEqualTo(127 * (double) (float) (1.0 / 127));
		assertThat(Math.abs(layers.get(1).weights()[2] - 0.5)).isLessThanOrEqualTo((float) (1.0 / 127) / 2 + 1e-9);
	}

	@Test
	void refusesModelsWithoutWeightMatricesAndCompressedOnes() {
		ModelArtifact kmeans = new ModelArtifact(Task.CLUSTERING, List.of(), preprocessing(),
				new KMeansPredictor(new double[][] { { 0, 0, 0 } }));
		assertThatThrownBy(() -> Quantization.compress(kmeans, WeightPrecision.INT8))
			.isInstanceOf(ModelCompressionNotSupportedException.class)
			.hasMessageContaining("a kmeans model has no dense weight matrices");
		DenseLayer layer = new DenseLayer(3, 1, new double[] { 1, 2, 3 }, new double[] { 0 });
		ModelArtifact linear = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
				Predictor.network(new NetworkWeights(List.of(layer), null, OutputKind.IDENTITY)));
		ModelArtifact half = Quantization.compress(linear, WeightPrecision.FLOAT16);
		assertThatThrownBy(() -> Quantization.compress(half, WeightPrecision.INT8))
			.isInstanceOf(ModelCompressionNotSupportedException.class)
			.hasMessageContaining("already compressed (float16 weights)");
		DenseLayer huge = new DenseLayer(3, 1, new double[] { 1, 65520, 3 }, new double[] { 0 });
		ModelArtifact wide = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
				Predictor.network(new NetworkWeights(List.of(huge), null, OutputKind.IDENTITY)));
		assertThatThrownBy(() -> Quantization.compress(wide, WeightPrecision.FLOAT16))
			.isInstanceOf(ModelCompressionNotSupportedException.class)
			.hasMessageContaining("a weight of 65520.0 is beyond float16's range");
		// int8 scales it: 65520 is code 127
		assertThat(((DenseNetwork) Quantization.compress(wide, WeightPrecision.INT8).predictor()).weights()
			.layers()
			.get(0)
			.weights()[1]).isEqualTo(127 * (double) (float) (65520.0 / 127));
		assertThatThrownBy(() -> new ModelArtifact(Task.CLUSTERING, List.of(), preprocessing(),
				new KMeansPredictor(new double[][] { { 0, 0, 0 } }), null, null, WeightPrecision.INT8))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
