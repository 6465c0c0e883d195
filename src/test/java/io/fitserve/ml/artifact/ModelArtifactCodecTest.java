package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.eval.Metrics;
import io.fitserve.ml.kernel.Kernel;
import io.fitserve.ml.kernel.KernelModel;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.Network;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.Preprocessing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class ModelArtifactCodecTest {

	private static Preprocessing preprocessing() {
		ColumnData x = new ColumnData("x", ColumnType.NUMERIC, new double[] { 1.5, -2.25, Double.NaN, 8 }, null, null);
		ColumnData color = new ColumnData("color", ColumnType.CATEGORICAL, null, new int[] { 0, 1, 2, 1 },
				List.of("red", "blue", "grün"));
		return Preprocessing.fit(List.of(x, color), new int[] { 0, 1, 2, 3 }); // width 1
																				// + 3 = 4
	}

	private static ModelArtifact classifier() {
		DenseLayer hidden = new DenseLayer(4, 2, new double[] { 0.1, -0.2, 1e-300, Math.PI, -0.0, 7, 1e20, -3.5 },
				new double[] { 0.5, -0.5 });
		DenseLayer out = new DenseLayer(2, 3, new double[] { 1, 2, 3, 4, 5, 6 },
				new double[] { -1, 0, Double.MIN_VALUE });
		return new ModelArtifact(Task.CLASSIFICATION, List.of("setosa", "versicolor", "virginica"), preprocessing(),
				Predictor.network(new NetworkWeights(List.of(hidden, out), Activation.TANH, OutputKind.SOFTMAX)));
	}

	/** The network weights of a network artifact. */
	private static NetworkWeights weights(ModelArtifact artifact) {
		return ((DenseNetwork) artifact.predictor()).weights();
	}

	/** The kernel model of a kernel artifact. */
	private static KernelModel kernel(ModelArtifact artifact) {
		return ((KernelPredictor) artifact.predictor()).model();
	}

	private static ModelArtifact linearRegression() {
		return new ModelArtifact(Task.REGRESSION, null, preprocessing(),
				Predictor.network(new NetworkWeights(
						List.of(new DenseLayer(4, 1, new double[] { 1, 2, 3, 4 }, new double[] { 9 })), null,
						OutputKind.IDENTITY)));
	}

	private static void assertSameNetwork(NetworkWeights actual, NetworkWeights expected) {
		assertThat(actual.hiddenActivation()).isEqualTo(expected.hiddenActivation());
		assertThat(actual.output()).isEqualTo(expected.output());
		assertThat(actual.layers()).hasSameSizeAs(expected.layers());
		for (int i = 0; i < expected.layers().size(); i++) {
			DenseLayer a = actual.layers().get(i);
			DenseLayer e = expected.layers().get(i);
			assertThat(a.inputs()).isEqualTo(e.inputs());
			assertThat(a.outputs()).isEqualTo(e.outputs());
			assertThat(Arrays.equals(a.weights(), e.weights())).isTrue(); // bit-exact,
																			// -0.0
																			// included
			assertThat(Arrays.equals(a.bias(), e.bias())).isTrue();
		}
	}

	@Test
	void roundTripsAClassifier() {
		ModelArtifact artifact = classifier();
		byte[] bytes = ModelArtifactCodec.encode(artifact);
		assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("FSMA");
		ModelArtifact decoded = ModelArtifactCodec.decode(bytes);
		assertThat(decoded.task()).isEqualTo(Task.CLASSIFICATION);
		assertThat(decoded.classLabels()).containsExactly("setosa", "versicolor", "virginica");
		assertThat(decoded.preprocessing()).isEqualTo(artifact.preprocessing());
		assertSameNetwork(weights(decoded), weights(artifact));
		assertThat(ModelArtifactCodec.encode(decoded)).isEqualTo(bytes);
	}

	@Test
	void roundTripsALinearRegression() {
		ModelArtifact artifact = linearRegression();
		ModelArtifact decoded = ModelArtifactCodec.decode(ModelArtifactCodec.encode(artifact));
		assertThat(decoded.task()).isEqualTo(Task.REGRESSION);
		assertThat(decoded.classLabels()).isEmpty();
		assertThat(decoded.preprocessing()).isEqualTo(artifact.preprocessing());
		assertSameNetwork(weights(decoded), weights(artifact));
	}

	@Test
	void rejectsEveryTruncation() {
		byte[] bytes = ModelArtifactCodec.encode(classifier());
		for (int length = 0; length < bytes.length; length++) {
			byte[] cut = Arrays.copyOf(bytes, length);
			assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(cut))
				.withMessageStartingWith("corrupt model artifact");
		}
	}

	@Test
	void rejectsBadMagicVersionTrailingBytesAndFlippedBits() {
		byte[] bytes = ModelArtifactCodec.encode(classifier());
		byte[] magic = bytes.clone();
		magic[0] = 'X';
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(magic))
			.withMessage("corrupt model artifact: bad magic");
		byte[] version = bytes.clone();
		version[7] = 9;
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(version))
			.withMessageContaining("version");
		byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(trailing))
			.withMessageStartingWith("corrupt model artifact");
		byte[] flipped = bytes.clone();
		flipped[bytes.length - 12] ^= 1; // inside the last bias value
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(flipped))
			.withMessage("corrupt model artifact: checksum mismatch");
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(null))
			.withMessageStartingWith("corrupt model artifact");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelArtifactCodec.decode("FSMA not really a model".getBytes(StandardCharsets.US_ASCII)))
			.withMessageStartingWith("corrupt model artifact");
	}

	@Test
	void encodeRejectsInconsistentNetworks() {
		// first layer must take the 4 encoded inputs
		ModelArtifact wrongInputs = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
				Predictor.network(new NetworkWeights(List.of(new DenseLayer(3, 1, new double[3], new double[1])), null,
						OutputKind.IDENTITY)));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.encode(wrongInputs));
		ModelArtifact wrongLength = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
				Predictor.network(new NetworkWeights(List.of(new DenseLayer(4, 1, new double[3], new double[1])), null,
						OutputKind.IDENTITY)));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.encode(wrongLength));
		// a network without layers is no predictor at all now
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelArtifactCodec.encode(new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
					Predictor.network(new NetworkWeights(List.of(), null, OutputKind.IDENTITY)))));
	}

	/** classifier() as written by the version 1 codec (before kernel models existed). */
	private static final String CLASSIFIER_V1 = "RlNNQQAAAAEAAAHBeyJ0YXNrIjoiY2xhc3NpZmljYXRpb24iLCJjbGFzc0xhYmVscyI6WyJzZXRvc2EiLCJ2ZXJzaWNvbG9yIiwi"
			+ "dmlyZ2luaWNhIl0sInByZXByb2Nlc3NpbmciOnsiZmVhdHVyZXMiOlt7Im5hbWUiOiJ4IiwidHlwZSI6Im51bWVyaWMiLCJtZWFu"
			+ "IjoyLjQxNjY2NjY2NjY2NjY2NjUsInNjYWxlIjo0LjIzNDQ0ODY3MTk3MDgzNCwiY2F0ZWdvcmllcyI6W10sIm1vc3RGcmVxdWVu"
			+ "dCI6bnVsbH0seyJuYW1lIjoiY29sb3IiLCJ0eXBlIjoiY2F0ZWdvcmljYWwiLCJtZWFuIjowLjAsInNjYWxlIjoxLjAsImNhdGVn"
			+ "b3JpZXMiOlsiYmx1ZSIsImdyw7xuIiwicmVkIl0sIm1vc3RGcmVxdWVudCI6ImJsdWUifV19LCJoaWRkZW5BY3RpdmF0aW9uIjoi"
			+ "dGFuaCIsIm91dHB1dCI6InNvZnRtYXgiLCJsYXllcnMiOlt7ImlucHV0cyI6NCwib3V0cHV0cyI6Mn0seyJpbnB1dHMiOjIsIm91"
			+ "dHB1dHMiOjN9XX0/uZmZmZmZmr/JmZmZmZmaAaVuH8L481lACSH7VEQtGIAAAAAAAAAAQBwAAAAAAABEFa8deLWMQMAMAAAAAAAA"
			+ "P+AAAAAAAAC/4AAAAAAAAD/wAAAAAAAAQAAAAAAAAABACAAAAAAAAEAQAAAAAAAAQBQAAAAAAABAGAAAAAAAAL/wAAAAAAAAAAAA"
			+ "AAAAAAAAAAAAAAAAAYTGCAw=";

	private static KernelModel kernelModel() {
		double[][] vectors = { { 0.5, -1, 0, 1 }, { -0.0, 2.5, 1e-300, 0 } };
		double[][] coefficients = { { 1, -1 }, { 0.25, Math.PI }, { -3, 0 } };
		return new KernelModel(Kernel.POLY, 0.5, 3, 1.25, KernelModel.EXACT, 4, vectors, coefficients,
				new double[] { 0.1, -0.2, Double.MIN_VALUE }, new double[] { -1.5, -2, -0.5 },
				new double[] { 0.1, 0, -0.3 }, true, 3);
	}

	private static ModelArtifact kernelClassifier() {
		return new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b", "c"), preprocessing(),
				Predictor.kernel(kernelModel()));
	}

	/**
	 * kernelClassifier() (a one-vs-rest kernel model) as written by the version 2 codec
	 * (before one-vs-one).
	 */
	private static final String KERNEL_CLASSIFIER_V2 = "RlNNQQAAAAIAAAIGeyJ0YXNrIjoiY2xhc3NpZmljYXRpb24iLCJjbGFzc0xhYmVscyI6WyJhIiwiYiIsImMiXSwicHJlcHJvY2Vz"
			+ "c2luZyI6eyJmZWF0dXJlcyI6W3sibmFtZSI6IngiLCJ0eXBlIjoibnVtZXJpYyIsIm1lYW4iOjIuNDE2NjY2NjY2NjY2NjY2NSwi"
			+ "c2NhbGUiOjQuMjM0NDQ4NjcxOTcwODM0LCJjYXRlZ29yaWVzIjpbXSwibW9zdEZyZXF1ZW50IjpudWxsfSx7Im5hbWUiOiJjb2xv"
			+ "ciIsInR5cGUiOiJjYXRlZ29yaWNhbCIsIm1lYW4iOjAuMCwic2NhbGUiOjEuMCwiY2F0ZWdvcmllcyI6WyJibHVlIiwiZ3LDvG4i"
			+ "LCJyZWQiXSwibW9zdEZyZXF1ZW50IjoiYmx1ZSJ9XX0sImhpZGRlbkFjdGl2YXRpb24iOm51bGwsIm91dHB1dCI6bnVsbCwibGF5"
			+ "ZXJzIjpbXSwia2VybmVsIjp7Imtlcm5lbCI6InBvbHkiLCJnYW1tYSI6MC41LCJkZWdyZWUiOjMsImNvZWYwIjoxLjI1LCJhcHBy"
			+ "b3hpbWF0aW9uIjoibm9uZSIsIm51bUZlYXR1cmVzIjo0LCJ2ZWN0b3JzIjoyLCJudW1DbGFzc2VzIjozLCJjYWxpYnJhdGVkIjp0"
			+ "cnVlfX0/4AAAAAAAAL/wAAAAAAAAAAAAAAAAAAA/8AAAAAAAAIAAAAAAAAAAQAQAAAAAAAABpW4fwvjzWQAAAAAAAAAAP/AAAAAA"
			+ "AAC/8AAAAAAAAD/QAAAAAAAAQAkh+1RELRjACAAAAAAAAAAAAAAAAAAAP7mZmZmZmZq/yZmZmZmZmgAAAAAAAAABv/gAAAAAAADA"
			+ "AAAAAAAAAL/gAAAAAAAAP7mZmZmZmZoAAAAAAAAAAL/TMzMzMzMzFwcCGQ==";

	/** A calibrated 4-class one-vs-one model: 6 pairwise machines over 3 vectors. */
	private static KernelModel oneVsOneModel(boolean calibrated) {
		double[][] vectors = { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, -0.5 } };
		double[][] coefficients = { { 1, -1, 0 }, { 0.5, 0, -0.5 }, { 2, 0, -2 }, { 0, 1, -1 }, { 0, 0.25, -0.25 },
				{ 0, 0, 0 } };
		return new KernelModel(Kernel.RBF, 0.7, 3, 0, KernelModel.EXACT, 4, vectors, coefficients,
				new double[] { 0.1, -0.2, 0, 0.3, -0.1, 0.05 }, new double[] { -1.5, -2, -0.5, -1, -1.2, -0.8 },
				new double[] { 0.1, 0, -0.3, 0.2, 0, 0.1 }, calibrated, 4, KernelModel.OVO);
	}

	@Test
	void writesVersionFour() {
		byte[] bytes = ModelArtifactCodec.encode(classifier());
		assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt()).isEqualTo(4);
	}

	@Test
	void readsVersionTwoKernelArtifactsAsOneVersusRest() {
		byte[] v2 = Base64.getDecoder().decode(KERNEL_CLASSIFIER_V2);
		assertThat(java.nio.ByteBuffer.wrap(v2, 4, 4).getInt()).isEqualTo(2);
		ModelArtifact decoded = ModelArtifactCodec.decode(v2);
		KernelModel k = kernel(decoded);
		KernelModel e = kernelModel();
		assertThat(k.strategy()).isEqualTo(KernelModel.OVR);
		assertThat(k.pairs()).isEmpty();
		assertThat(Arrays.deepEquals(k.vectors(), e.vectors())).isTrue();
		assertThat(Arrays.deepEquals(k.coefficients(), e.coefficients())).isTrue();
		assertThat(Arrays.equals(k.bias(), e.bias())).isTrue();
		assertThat(Arrays.equals(k.plattA(), e.plattA())).isTrue();
		assertThat(Arrays.equals(k.plattB(), e.plattB())).isTrue();
		// the probabilities the version 2 code predicted
		assertThat(decoded.predict(new double[] { 0.3, -0.7, 1, 0 })).containsExactly(0.5237582022874099,
				0.4756281783609996, 6.136193515905351E-4);
		// re-encoding writes version 4 (no background) with the same content
		assertThat(decoded.provenance()).isNull();
		assertThat(decoded.hasBackground()).isFalse();
		byte[] current = ModelArtifactCodec.encode(decoded);
		assertThat(java.nio.ByteBuffer.wrap(current, 4, 4).getInt()).isEqualTo(ModelArtifactCodec.FORMAT_VERSION_4);
		assertThat(current).isEqualTo(ModelArtifactCodec.encode(kernelClassifier()));
	}

	@Test
	void roundTripsAOneVersusOneModel() {
		for (boolean calibrated : new boolean[] { false, true }) {
			ModelArtifact artifact = new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b", "c", "d"),
					preprocessing(), Predictor.kernel(oneVsOneModel(calibrated)));
			byte[] bytes = ModelArtifactCodec.encode(artifact);
			ModelArtifact decoded = ModelArtifactCodec.decode(bytes);
			KernelModel k = kernel(decoded);
			assertThat(k.strategy()).isEqualTo(KernelModel.OVO);
			assertThat(k.pairs()).hasDimensions(6, 2);
			assertThat(k.calibrated()).isEqualTo(calibrated);
			assertThat(Arrays.deepEquals(k.coefficients(), kernel(artifact).coefficients())).isTrue();
			assertThat(ModelArtifactCodec.encode(decoded)).isEqualTo(bytes);
			for (double[] x : new double[][] { { 0.3, -0.7, 1, 0 }, { 1, 0.2, 0, 0 }, { 0, 0, 0.9, -0.4 } }) {
				double[] p = decoded.predict(x);
				assertThat(p).containsExactly(artifact.predict(x));
				assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1.0, within(1e-12));
				assertThat(Metrics.argmax(p)).isEqualTo(k.predictClass(x));
			}
			// strategy written in the header: as version 2 (no strategy) the machine
			// count no longer matches
			byte[] asVersionTwo = bytes.clone();
			asVersionTwo[7] = 2;
			assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(asVersionTwo))
				.withMessageStartingWith("corrupt model artifact");
		}
	}

	@Test
	void readsVersionOneArtifacts() {
		byte[] v1 = Base64.getDecoder().decode(CLASSIFIER_V1);
		assertThat(java.nio.ByteBuffer.wrap(v1, 4, 4).getInt()).isEqualTo(1);
		ModelArtifact decoded = ModelArtifactCodec.decode(v1);
		assertThat(decoded.task()).isEqualTo(Task.CLASSIFICATION);
		assertThat(decoded.classLabels()).containsExactly("setosa", "versicolor", "virginica");
		assertThat(decoded.preprocessing()).isEqualTo(classifier().preprocessing());
		assertThat(decoded.predictor()).isInstanceOf(NetworkPredictor.class);
		assertThat(decoded.provenance()).isNull();
		assertSameNetwork(weights(decoded), weights(classifier()));
		// re-encoding upgrades it to the current version with the same content
		assertSameNetwork(weights(ModelArtifactCodec.decode(ModelArtifactCodec.encode(decoded))), weights(decoded));
	}

	@Test
	void roundTripsAKernelModelBitExactly() {
		ModelArtifact artifact = kernelClassifier();
		byte[] bytes = ModelArtifactCodec.encode(artifact);
		ModelArtifact decoded = ModelArtifactCodec.decode(bytes);
		assertThat(decoded.predictor()).isInstanceOf(KernelPredictor.class);
		assertThat(decoded.classLabels()).containsExactly("a", "b", "c");
		assertThat(decoded.preprocessing()).isEqualTo(artifact.preprocessing());
		KernelModel k = kernel(decoded);
		KernelModel e = kernel(artifact);
		assertThat(k.kernel()).isEqualTo(Kernel.POLY);
		assertThat(k.gamma()).isEqualTo(e.gamma());
		assertThat(k.degree()).isEqualTo(3);
		assertThat(k.coef0()).isEqualTo(e.coef0());
		assertThat(k.approximation()).isEqualTo("none");
		assertThat(k.numFeatures()).isEqualTo(4);
		assertThat(k.calibrated()).isTrue();
		assertThat(k.numClasses()).isEqualTo(3);
		assertThat(Arrays.deepEquals(k.vectors(), e.vectors())).isTrue();
		assertThat(Arrays.deepEquals(k.coefficients(), e.coefficients())).isTrue();
		assertThat(Arrays.equals(k.bias(), e.bias())).isTrue();
		assertThat(Arrays.equals(k.plattA(), e.plattA())).isTrue();
		assertThat(Arrays.equals(k.plattB(), e.plattB())).isTrue();
		assertThat(ModelArtifactCodec.encode(decoded)).isEqualTo(bytes);
		double[] x = { 0.3, -0.7, 1, 0 };
		assertThat(decoded.predict(x)).containsExactly(artifact.predict(x));
	}

	@Test
	void rejectsEveryTruncationAndFlippedBitOfAKernelModel() {
		byte[] bytes = ModelArtifactCodec.encode(kernelClassifier());
		for (int length = 0; length < bytes.length; length++) {
			byte[] cut = Arrays.copyOf(bytes, length);
			assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(cut))
				.withMessageStartingWith("corrupt model artifact");
		}
		byte[] flipped = bytes.clone();
		flipped[bytes.length - 20] ^= 1;
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(flipped))
			.withMessage("corrupt model artifact: checksum mismatch");
		byte[] asVersionOne = bytes.clone();
		asVersionOne[7] = 1;
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(asVersionOne))
			.withMessageStartingWith("corrupt model artifact");
	}

	@Test
	void artifactsHoldOnePredictorThatFitsTheTask() {
		Preprocessing p = preprocessing();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b", "c"), p, null));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new ModelArtifact(Task.REGRESSION, List.of("a", "b", "c"), p, Predictor.kernel(kernelModel())));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b"), p, Predictor.kernel(kernelModel())));
		assertThat(classifier().predictor()).isInstanceOf(NetworkPredictor.class);
		assertThat(linearRegression().predictor()).isInstanceOf(LinearPredictor.class);
		// one layer is linear, more is a network: each record holds only its own shape
		NetworkWeights mlp = weights(classifier());
		NetworkWeights linear = weights(linearRegression());
		assertThatIllegalArgumentException().isThrownBy(() -> new NetworkPredictor(linear));
		assertThatIllegalArgumentException().isThrownBy(() -> new LinearPredictor(mlp));
	}

	@Test
	void predictDispatchesToTheNetworkOrTheKernelModel() {
		double[][] rows = { { 0.3, -0.7, 1, 0 }, { 1, 2, 0, 1 } };
		ModelArtifact network = classifier();
		assertThat(network.predict(rows[0])).containsExactly(Network.predict(weights(network), rows[0], 3));
		assertThat(network.predictBatch(rows)).isDeepEqualTo(Network.predictBatch(weights(network), rows, 3));
		ModelArtifact regression = linearRegression();
		assertThat(regression.predict(rows[1])).containsExactly(1 + 4 + 0 + 4 + 9.0);
		// linear kernel, one support vector e1 with coefficient 2, bias -1: f(e1) = 1,
		// uncalibrated p = sigmoid(1)
		KernelModel binary = new KernelModel(Kernel.LINEAR, 1, 1, 0, KernelModel.EXACT, 4,
				new double[][] { { 1, 0, 0, 0 } }, new double[][] { { 2 } }, new double[] { -1 }, new double[] { -1 },
				new double[] { 0 }, false, 2);
		ModelArtifact svm = new ModelArtifact(Task.CLASSIFICATION, List.of("no", "yes"), preprocessing(),
				Predictor.kernel(binary));
		double[] p = svm.predict(new double[] { 1, 0, 0, 0 });
		assertThat(p[1]).isCloseTo(0.7310585786300049, within(1e-15));
		assertThat(p[0] + p[1]).isEqualTo(1.0);
		double[][] batch = svm.predictBatch(new double[][] { { 1, 0, 0, 0 }, { 0, 5, 5, 5 } });
		assertThat(batch[0]).containsExactly(p);
		assertThat(batch[1][1]).isCloseTo(1 / (1 + Math.E), within(1e-15)); // f = -1
	}

	/** Written by the version 3 codec (before predictor kinds and provenance). */
	private static final String MLP_V3 = "RlNNQQAAAAMAAAHPeyJ0YXNrIjoiY2xhc3NpZmljYXRpb24iLCJjbGFzc0xhYmVscyI6WyJzZXRvc2EiLCJ2ZXJzaWNvbG9yIiwi"
			+ "dmlyZ2luaWNhIl0sInByZXByb2Nlc3NpbmciOnsiZmVhdHVyZXMiOlt7Im5hbWUiOiJ4IiwidHlwZSI6Im51bWVyaWMiLCJtZWFu"
			+ "IjoyLjQxNjY2NjY2NjY2NjY2NjUsInNjYWxlIjo0LjIzNDQ0ODY3MTk3MDgzNCwiY2F0ZWdvcmllcyI6W10sIm1vc3RGcmVxdWVu"
			+ "dCI6bnVsbH0seyJuYW1lIjoiY29sb3IiLCJ0eXBlIjoiY2F0ZWdvcmljYWwiLCJtZWFuIjowLjAsInNjYWxlIjoxLjAsImNhdGVn"
			+ "b3JpZXMiOlsiYmx1ZSIsImdyw7xuIiwicmVkIl0sIm1vc3RGcmVxdWVudCI6ImJsdWUifV19LCJoaWRkZW5BY3RpdmF0aW9uIjoi"
			+ "dGFuaCIsIm91dHB1dCI6InNvZnRtYXgiLCJsYXllcnMiOlt7ImlucHV0cyI6NCwib3V0cHV0cyI6Mn0seyJpbnB1dHMiOjIsIm91"
			+ "dHB1dHMiOjN9XSwia2VybmVsIjpudWxsfT+5mZmZmZmav8mZmZmZmZoBpW4fwvjzWUAJIftURC0YgAAAAAAAAABAHAAAAAAAAEQV"
			+ "rx14tYxAwAwAAAAAAAA/4AAAAAAAAL/gAAAAAAAAP/AAAAAAAABAAAAAAAAAAEAIAAAAAAAAQBAAAAAAAABAFAAAAAAAAEAYAAAA"
			+ "AAAAv/AAAAAAAAAAAAAAAAAAAAAAAAAAAAABlOpynQ==";

	/** Written by the version 3 codec (before predictor kinds and provenance). */
	private static final String LOGISTIC_V3 = "RlNNQQAAAAMAAAGdeyJ0YXNrIjoiY2xhc3NpZmljYXRpb24iLCJjbGFzc0xhYmVscyI6WyJubyIsInllcyJdLCJwcmVwcm9jZXNz"
			+ "aW5nIjp7ImZlYXR1cmVzIjpbeyJuYW1lIjoieCIsInR5cGUiOiJudW1lcmljIiwibWVhbiI6Mi40MTY2NjY2NjY2NjY2NjY1LCJz"
			+ "Y2FsZSI6NC4yMzQ0NDg2NzE5NzA4MzQsImNhdGVnb3JpZXMiOltdLCJtb3N0RnJlcXVlbnQiOm51bGx9LHsibmFtZSI6ImNvbG9y"
			+ "IiwidHlwZSI6ImNhdGVnb3JpY2FsIiwibWVhbiI6MC4wLCJzY2FsZSI6MS4wLCJjYXRlZ29yaWVzIjpbImJsdWUiLCJncsO8biIs"
			+ "InJlZCJdLCJtb3N0RnJlcXVlbnQiOiJibHVlIn1dfSwiaGlkZGVuQWN0aXZhdGlvbiI6bnVsbCwib3V0cHV0Ijoic2lnbW9pZCIs"
			+ "ImxheWVycyI6W3siaW5wdXRzIjo0LCJvdXRwdXRzIjoxfV0sImtlcm5lbCI6bnVsbH0/4AAAAAAAAL/0AAAAAAAAQAAAAAAAAAA/"
			+ "6AAAAAAAAL/TMzMzMzMzWIgNWA==";

	/** Written by the version 3 codec (before predictor kinds and provenance). */
	private static final String KERNEL_OVO_V3 = "RlNNQQAAAAMAAAIZeyJ0YXNrIjoiY2xhc3NpZmljYXRpb24iLCJjbGFzc0xhYmVscyI6WyJhIiwiYiIsImMiLCJkIl0sInByZXBy"
			+ "b2Nlc3NpbmciOnsiZmVhdHVyZXMiOlt7Im5hbWUiOiJ4IiwidHlwZSI6Im51bWVyaWMiLCJtZWFuIjoyLjQxNjY2NjY2NjY2NjY2"
			+ "NjUsInNjYWxlIjo0LjIzNDQ0ODY3MTk3MDgzNCwiY2F0ZWdvcmllcyI6W10sIm1vc3RGcmVxdWVudCI6bnVsbH0seyJuYW1lIjoi"
			+ "Y29sb3IiLCJ0eXBlIjoiY2F0ZWdvcmljYWwiLCJtZWFuIjowLjAsInNjYWxlIjoxLjAsImNhdGVnb3JpZXMiOlsiYmx1ZSIsImdy"
			+ "w7xuIiwicmVkIl0sIm1vc3RGcmVxdWVudCI6ImJsdWUifV19LCJoaWRkZW5BY3RpdmF0aW9uIjpudWxsLCJvdXRwdXQiOm51bGws"
			+ "ImxheWVycyI6W10sImtlcm5lbCI6eyJrZXJuZWwiOiJyYmYiLCJnYW1tYSI6MC43LCJkZWdyZWUiOjMsImNvZWYwIjowLjAsImFw"
			+ "cHJveGltYXRpb24iOiJub25lIiwibnVtRmVhdHVyZXMiOjQsInZlY3RvcnMiOjMsIm51bUNsYXNzZXMiOjQsImNhbGlicmF0ZWQi"
			+ "OnRydWUsInN0cmF0ZWd5Ijoib3ZvIn19P/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD/wAAAAAAAAAAAA"
			+ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/8AAAAAAAAL/gAAAAAAAAP/AAAAAAAAC/8AAAAAAAAAAAAAAAAAAAP+AAAAAA"
			+ "AAAAAAAAAAAAAL/gAAAAAAAAQAAAAAAAAAAAAAAAAAAAAMAAAAAAAAAAAAAAAAAAAAA/8AAAAAAAAL/wAAAAAAAAAAAAAAAAAAA/"
			+ "0AAAAAAAAL/QAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAP7mZmZmZmZq/yZmZmZmZmgAAAAAAAAAAP9MzMzMzMzO/uZmZ"
			+ "mZmZmj+pmZmZmZmav/gAAAAAAADAAAAAAAAAAL/gAAAAAAAAv/AAAAAAAAC/8zMzMzMzM7/pmZmZmZmaP7mZmZmZmZoAAAAAAAAA"
			+ "AL/TMzMzMzMzP8mZmZmZmZoAAAAAAAAAAD+5mZmZmZmagSzw3g==";

	/** A provenance with every field set, JSON values of every kind included. */
	static ModelProvenance provenance() {
		Map<String, Object> hyperparameters = new LinkedHashMap<>();
		hyperparameters.put("optimizer", "adam");
		hyperparameters.put("learningRate", 0.01);
		hyperparameters.put("epochs", 50);
		hyperparameters.put("hiddenLayers", List.of(64, 32));
		hyperparameters.put("schedule", Map.of("type", "constant"));
		hyperparameters.put("batchNorm", false);
		hyperparameters.put("dropout", null);
		Map<String, Object> rows = new LinkedHashMap<>();
		rows.put("trainedOn", "train split");
		rows.put("rows", 800);
		return new ModelProvenance("1.2.3", "17.0.15", "Debian", "Linux", "amd64", 2, "1", "cpu", "CpuBackend",
				Instant.parse("2026-12-01T16:00:00.123456Z"), Instant.parse("2026-12-01T16:00:02Z"), 42L, "mlp",
				hyperparameters, "0b7c1e2a-5d3f-4a8e-9c61-2f4b8d7e9a10", "ab".repeat(32), rows);
	}

	@Test
	void roundTripsEveryPredictorKindWithItsProvenance() {
		ModelProvenance provenance = provenance();
		List<ModelArtifact> artifacts = List.of(classifier(), linearRegression(), kernelClassifier(),
				new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b", "c", "d"), preprocessing(),
						Predictor.kernel(oneVsOneModel(true))));
		double[][] rows = { { 0.3, -0.7, 1, 0 }, { 1, 0.2, 0, 0 }, { 0, 0, 0.9, -0.4 } };
		for (ModelArtifact plain : artifacts) {
			ModelArtifact artifact = plain.withProvenance(provenance);
			byte[] bytes = ModelArtifactCodec.encode(artifact);
			assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt()).isEqualTo(4);
			assertThat(header(bytes)).contains("\"predictor\":\"" + artifact.predictor().kind() + "\"");
			ModelArtifact decoded = ModelArtifactCodec.decode(bytes);
			assertThat(decoded.predictor().getClass()).isEqualTo(artifact.predictor().getClass());
			assertThat(decoded.provenance()).isEqualTo(provenance);
			assertThat(decoded.provenance().hyperparameters()).containsEntry("dropout", null)
				.containsEntry("hiddenLayers", List.of(64, 32));
			assertThat(decoded.predictBatch(rows)).isDeepEqualTo(artifact.predictBatch(rows));
			assertThat(ModelArtifactCodec.encode(decoded)).isEqualTo(bytes);
			// without provenance: the same model, provenance null
			ModelArtifact bare = ModelArtifactCodec.decode(ModelArtifactCodec.encode(plain));
			assertThat(bare.provenance()).isNull();
			assertThat(bare.predictBatch(rows)).isDeepEqualTo(artifact.predictBatch(rows));
		}
	}

	@Test
	void provenanceFieldsMayBeNull() {
		ModelProvenance empty = new ModelProvenance(null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null, null);
		ModelArtifact artifact = classifier().withProvenance(empty);
		assertThat(ModelArtifactCodec.decode(ModelArtifactCodec.encode(artifact)).provenance()).isEqualTo(empty);
	}

	@Test
	void readsVersionThreeArtifactsAndPredictsAsBefore() {
		double[][] rows = { { 0.3, -0.7, 1, 0 }, { 1, 0.2, 0, 0 }, { 0, 0, 0.9, -0.4 } };
		// the probabilities the version 3 code predicted for these rows
		ModelArtifact mlp = decodeVersionThree(MLP_V3);
		assertThat(mlp.predictor()).isInstanceOf(NetworkPredictor.class).isNotInstanceOf(Explainable.class);
		assertSameNetwork(weights(mlp), weights(classifier()));
		assertThat(mlp.predict(rows[0])).containsExactly(0.015155710733284724, 0.18187946007470882, 0.8029648291920064);
		assertThat(mlp.predict(rows[1])).containsExactly(0.08179329692894269, 0.3541377329366435, 0.5640689701344138);
		assertThat(mlp.predict(rows[2])).containsExactly(0.1553626229274791, 0.422318923932499, 0.4223184531400219);
		ModelArtifact logistic = decodeVersionThree(LOGISTIC_V3);
		assertThat(logistic.predictor()).isInstanceOf(LinearPredictor.class).isInstanceOf(Explainable.class);
		assertThat(logistic.predict(rows[0])).containsExactly(0.06151418169463441, 0.9384858183053656);
		assertThat(logistic.predict(rows[1])).containsExactly(0.5124973964842103, 0.48750260351578967);
		assertThat(logistic.predict(rows[2])).containsExactly(0.23147521650098246, 0.7685247834990175);
		ModelArtifact kernel = decodeVersionThree(KERNEL_OVO_V3);
		assertThat(kernel.predictor()).isInstanceOf(KernelPredictor.class);
		assertThat(kernel(kernel).strategy()).isEqualTo(KernelModel.OVO);
		assertThat(kernel.predictBatch(rows)).isDeepEqualTo(
				new double[][] { { 0.21549632962871046, 0.1958332563368347, 0.31372448367027506, 0.2749459303641798 },
						{ 0.42077559917324414, 0.1832560578318661, 0.21473697321713658, 0.1812313697777533 },
						{ 0.15900161710154248, 0.1900051423620172, 0.3431281587205978, 0.3078650818158424 } });
		// re-encoded as version 4 with the same model, then with a provenance
		for (ModelArtifact old : List.of(mlp, logistic, kernel)) {
			ModelArtifact again = ModelArtifactCodec
				.decode(ModelArtifactCodec.encode(old.withProvenance(provenance())));
			assertThat(again.predictBatch(rows)).isDeepEqualTo(old.predictBatch(rows));
			assertThat(again.provenance()).isEqualTo(provenance());
		}
	}

	private static ModelArtifact decodeVersionThree(String base64) {
		byte[] v3 = Base64.getDecoder().decode(base64);
		assertThat(java.nio.ByteBuffer.wrap(v3, 4, 4).getInt()).isEqualTo(3);
		ModelArtifact decoded = ModelArtifactCodec.decode(v3);
		assertThat(decoded.provenance()).isNull();
		return decoded;
	}

	@Test
	void rejectsPredictorKindsAndProvenanceTheHeaderCannotHold() {
		byte[] network = ModelArtifactCodec.encode(classifier().withProvenance(provenance()));
		byte[] kernel = ModelArtifactCodec.encode(kernelClassifier());
		// versions 1 to 3 had neither a predictor kind nor a provenance
		for (int version = 1; version <= 3; version++) {
			byte[] old = withHeader(network, version, h -> h);
			assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(old))
				.withMessageStartingWith("corrupt model artifact");
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelArtifactCodec
				.decode(withHeader(network, 4, h -> h.replace("\"predictor\":\"network\"", "\"predictor\":\"tree\""))))
			.withMessage("corrupt model artifact: unknown predictor kind tree");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelArtifactCodec
				.decode(withHeader(network, 4, h -> h.replace(",\"predictor\":\"network\"", ""))))
			.withMessage("corrupt model artifact: unknown predictor kind null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelArtifactCodec
				.decode(withHeader(kernel, 4, h -> h.replace("\"predictor\":\"kernel\"", "\"predictor\":\"network\""))))
			.withMessageStartingWith("corrupt model artifact: the header of a network model has a kernel");
		// the unchanged header still reads (withHeader itself is sound)
		assertThat(ModelArtifactCodec.decode(withHeader(network, 4, h -> h)).provenance()).isEqualTo(provenance());
	}

	/** Background rows of width 4 (x, then the one-hot color). */
	private static double[][] background() {
		return new double[][] { { 0.25, 1, 0, 0 }, { -1.5, 0, 0, 1 }, { Math.PI, 0, 1, 0 } };
	}

	@Test
	void backgroundsRoundTripAsVersionFiveAndOnlyThen() {
		List<ModelArtifact> artifacts = List.of(classifier(), kernelClassifier(), linearRegression());
		double[][] rows = { { 0.3, -0.7, 1, 0 }, { 1, 0.2, 0, 0 } };
		for (ModelArtifact plain : artifacts) {
			byte[] without = ModelArtifactCodec.encode(plain.withProvenance(provenance()));
			assertThat(java.nio.ByteBuffer.wrap(without, 4, 4).getInt()).isEqualTo(4);
			assertThat(header(without)).doesNotContain("background");
			ModelArtifact artifact = plain.withProvenance(provenance()).withBackground(background());
			byte[] bytes = ModelArtifactCodec.encode(artifact);
			assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt()).isEqualTo(ModelArtifactCodec.FORMAT_VERSION)
				.isEqualTo(5);
			assertThat(header(bytes)).contains("\"background\":3");
			// the background's 3 x 4 doubles follow the model's
			assertThat(bytes.length).isEqualTo(without.length + "\"background\":3,".length() + 3 * 4 * Double.BYTES);
			ModelArtifact decoded = ModelArtifactCodec.decode(bytes);
			assertThat(decoded.background()).isDeepEqualTo(background());
			assertThat(decoded.explanationBackground()).isDeepEqualTo(background());
			assertThat(decoded.provenance()).isEqualTo(provenance());
			assertThat(decoded.predictBatch(rows)).isDeepEqualTo(plain.predictBatch(rows));
			assertThat(ModelArtifactCodec.encode(decoded)).isEqualTo(bytes);
			// the provenance and the background travel independently
			assertThat(decoded.withProvenance(null).background()).isDeepEqualTo(background());
			assertThat(
					ModelArtifactCodec.decode(ModelArtifactCodec.encode(decoded.withBackground(null))).hasBackground())
				.isFalse();
		}
	}

	@Test
	void corruptBackgroundsAreRefused() {
		byte[] bytes = ModelArtifactCodec.encode(classifier().withBackground(background()));
		for (int length = 0; length < bytes.length; length++) {
			byte[] cut = Arrays.copyOf(bytes, length);
			assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(cut))
				.withMessageStartingWith("corrupt model artifact");
		}
		byte[] flipped = bytes.clone();
		flipped[bytes.length - 12] ^= 1; // inside the last background value
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(flipped))
			.withMessage("corrupt model artifact: checksum mismatch");
		// a version 4 artifact cannot hold a background
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(withHeader(bytes, 4, h -> h)))
			.withMessage("corrupt model artifact: a version 4 artifact has no background");
		// the row count must match the doubles and the limit
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelArtifactCodec
				.decode(withHeader(bytes, 5, h -> h.replace("\"background\":3", "\"background\":2"))))
			.withMessageStartingWith("corrupt model artifact: 32 trailing bytes");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelArtifactCodec
				.decode(withHeader(bytes, 5, h -> h.replace("\"background\":3", "\"background\":0"))))
			.withMessage("corrupt model artifact: bad background row count 0");
		assertThat(ModelArtifactCodec.decode(withHeader(bytes, 5, h -> h)).background()).isDeepEqualTo(background());
		// and the artifact itself checks the rows
		assertThatIllegalArgumentException()
			.isThrownBy(() -> classifier().withBackground(new double[][] { { 1, 2, 3 } }));
		assertThatIllegalArgumentException().isThrownBy(() -> classifier().withBackground(new double[0][]));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> classifier().withBackground(new double[ModelArtifact.MAX_BACKGROUND_ROWS + 1][4]));
	}

	/**
	 * An MLP written before backgrounds (version 3) still explains: against the one
	 * reference row the preprocessing implies (x at its training mean, 0 once
	 * standardized; color at its most frequent level, blue), and the contributions add up
	 * to the probability the model predicts.
	 */
	@Test
	void oldArtifactsExplainAgainstTheReferenceRow() {
		ModelArtifact mlp = decodeVersionThree(MLP_V3);
		assertThat(mlp.hasBackground()).isFalse();
		assertThat(mlp.preprocessing().features().get(1).mostFrequent()).isEqualTo("blue");
		assertThat(mlp.explanationBackground()).isDeepEqualTo(new double[][] { { 0, 1, 0, 0 } });
		double[] x = { 0.3, 0, 0, 1 };
		double[] probabilities = mlp.predict(x);
		int best = Metrics.argmax(probabilities);
		io.fitserve.ml.explain.SamplingShapley.Result r = io.fitserve.ml.explain.SamplingShapley
			.explain(mlp::predictBatch, best, x, mlp.explanationBackground(), new int[] { 1, 3 }, 64, 0);
		assertThat(r.score()).isEqualTo(probabilities[best]);
		assertThat(r.base()).isEqualTo(mlp.predict(new double[] { 0, 1, 0, 0 })[best]);
		// two features: both orders evaluated, exact
		assertThat(r.exhaustive()).isTrue();
		double vx = mlp.predict(new double[] { 0.3, 1, 0, 0 })[best];
		double vc = mlp.predict(new double[] { 0, 0, 0, 1 })[best];
		assertThat(r.contributions()[0]).isCloseTo(((vx - r.base()) + (r.score() - vc)) / 2, within(1e-15));
		assertThat(r.base() + r.contributions()[0] + r.contributions()[1]).isCloseTo(r.score(), within(1e-15));
		// re-encoded without a background: still version 4
		assertThat(java.nio.ByteBuffer.wrap(ModelArtifactCodec.encode(mlp), 4, 4).getInt()).isEqualTo(4);
	}

	private static String header(byte[] bytes) {
		int length = java.nio.ByteBuffer.wrap(bytes, 8, 4).getInt();
		return new String(bytes, 12, length, StandardCharsets.UTF_8);
	}

	/** The artifact with its version and header replaced, and a valid checksum. */
	private static byte[] withHeader(byte[] bytes, int version, java.util.function.UnaryOperator<String> edit) {
		int length = java.nio.ByteBuffer.wrap(bytes, 8, 4).getInt();
		byte[] header = edit.apply(header(bytes)).getBytes(StandardCharsets.UTF_8);
		byte[] doubles = Arrays.copyOfRange(bytes, 12 + length, bytes.length - 4);
		java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(12 + header.length + doubles.length + 4);
		out.put(bytes, 0, 4).putInt(version).putInt(header.length).put(header).put(doubles);
		java.util.zip.CRC32 crc = new java.util.zip.CRC32();
		crc.update(out.array(), 0, out.position());
		out.putInt((int) crc.getValue());
		return out.array();
	}

	@Test
	void quantisedWeightsAreVersionSixAndEveryOtherArtifactKeepsItsBytes() {
		// classifier() with 1e4 for its 1e20 (beyond float16): 4x2 + 2x3 = 14 weights;
		// biases 2 + 3 stay doubles
		NetworkWeights network = weights(classifier());
		DenseLayer first = network.layers().get(0);
		double[] firstWeights = first.weights();
		firstWeights[6] = 1e4;
		ModelArtifact plain = new ModelArtifact(Task.CLASSIFICATION, classifier().classLabels(), preprocessing(),
				Predictor.network(new NetworkWeights(
						List.of(new DenseLayer(4, 2, firstWeights, first.bias()), network.layers().get(1)),
						network.hiddenActivation(), network.output())),
				provenance());
		byte[] doubles = ModelArtifactCodec.encode(plain);
		assertThat(java.nio.ByteBuffer.wrap(doubles, 4, 4).getInt()).isEqualTo(4);
		assertThat(header(doubles)).doesNotContain("weights");
		assertThat(ModelArtifactCodec.encode(ModelArtifactCodec.decode(doubles))).isEqualTo(doubles);
		assertThat(ModelArtifactCodec.weightBytes(plain)).isEqualTo(14 * 8);

		ModelArtifact half = Quantization.compress(plain, WeightPrecision.FLOAT16);
		byte[] halfBytes = ModelArtifactCodec.encode(half);
		assertThat(java.nio.ByteBuffer.wrap(halfBytes, 4, 4).getInt()).isEqualTo(ModelArtifactCodec.FORMAT_VERSION_6)
			.isEqualTo(6);
		assertThat(header(halfBytes)).endsWith(",\"weights\":\"float16\"}");
		// 14 weights of 2 bytes instead of 8, and the header's new field
		assertThat(halfBytes.length).isEqualTo(doubles.length - 14 * 6 + ",\"weights\":\"float16\"".length());
		assertThat(ModelArtifactCodec.weightBytes(half)).isEqualTo(14 * 2);

		ModelArtifact int8 = Quantization.compress(plain, WeightPrecision.INT8);
		byte[] int8Bytes = ModelArtifactCodec.encode(int8);
		assertThat(header(int8Bytes)).endsWith(",\"weights\":\"int8\"}");
		// 14 one-byte codes and 2 + 3 float scales (20 bytes) instead of 112 bytes
		assertThat(int8Bytes.length).isEqualTo(doubles.length - 112 + 14 + 20 + ",\"weights\":\"int8\"".length());
		assertThat(ModelArtifactCodec.weightBytes(int8)).isEqualTo(34);

		double[][] rows = { { 0.3, -0.7, 1, 0 }, { 1, 0.2, 0, 0 }, { 0, 0, 0.9, -0.4 } };
		for (ModelArtifact compressed : List.of(half, int8)) {
			byte[] bytes = ModelArtifactCodec.encode(compressed);
			ModelArtifact decoded = ModelArtifactCodec.decode(bytes);
			assertThat(decoded.weightPrecision()).isEqualTo(compressed.weightPrecision());
			assertThat(decoded.provenance()).isEqualTo(provenance());
			// the decoded predictor holds the dequantised weights bit for bit
			assertSameNetwork(weights(decoded), weights(compressed));
			assertThat(decoded.predictBatch(rows)).isDeepEqualTo(compressed.predictBatch(rows));
			// and re-encodes to the same bytes (a float scale times a code is exact)
			assertThat(ModelArtifactCodec.encode(decoded)).isEqualTo(bytes);
			// with a background, still version 6, the background after the biases
			byte[] withBackground = ModelArtifactCodec.encode(decoded.withBackground(background()));
			assertThat(java.nio.ByteBuffer.wrap(withBackground, 4, 4).getInt()).isEqualTo(6);
			assertThat(ModelArtifactCodec.decode(withBackground).background()).isDeepEqualTo(background());
			for (int length = 0; length < bytes.length; length++) {
				byte[] cut = Arrays.copyOf(bytes, length);
				assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(cut))
					.withMessageStartingWith("corrupt model artifact");
			}
		}
		// float16 of the first weights: 0.1 -> 0.0999755859375, -0.2 -> -0.199951171875,
		// 1e-300 -> 0, pi -> 3.140625
		assertThat(Arrays.copyOf(weights(half).layers().get(0).weights(), 4)).containsExactly(0.0999755859375,
				-0.199951171875, 0, 3.140625);
	}

	@Test
	void quantisedHeadersMustMatchTheirVersionAndKind() {
		byte[] half = ModelArtifactCodec.encode(Quantization.compress(linearRegression(), WeightPrecision.FLOAT16));
		byte[] doubles = ModelArtifactCodec.encode(linearRegression());
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(withHeader(half, 5, h -> h)))
			.withMessage("corrupt model artifact: a version 5 artifact has no quantised weights");
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(withHeader(doubles, 6, h -> h)))
			.withMessage("corrupt model artifact: a version 6 artifact needs quantised weights");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelArtifactCodec
				.decode(withHeader(half, 6, h -> h.replace("\"weights\":\"float16\"", "\"weights\":\"float64\""))))
			.withMessage("corrupt model artifact: a network model cannot store float64 weights");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelArtifactCodec
				.decode(withHeader(half, 6, h -> h.replace("\"weights\":\"float16\"", "\"weights\":\"int4\""))))
			.withMessageStartingWith("corrupt model artifact: ");
		// an int8 code of -128 is outside the symmetric range
		byte[] int8 = ModelArtifactCodec.encode(Quantization.compress(classifier(), WeightPrecision.INT8));
		int codeAt = 4 + 4 + 4 + header(int8).getBytes(StandardCharsets.UTF_8).length + 2 * Float.BYTES;
		byte[] bad = int8.clone();
		bad[codeAt] = -128;
		java.util.zip.CRC32 crc = new java.util.zip.CRC32();
		crc.update(bad, 0, bad.length - 4);
		java.nio.ByteBuffer.wrap(bad, bad.length - 4, 4).putInt((int) crc.getValue());
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(bad))
			.withMessageContaining("int8 code -128 is outside [-127, 127]");
	}

}
