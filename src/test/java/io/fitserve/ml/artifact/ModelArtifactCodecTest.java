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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

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
				new NetworkWeights(List.of(hidden, out), Activation.TANH, OutputKind.SOFTMAX));
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
		assertSameNetwork(decoded.network(), artifact.network());
		assertThat(ModelArtifactCodec.encode(decoded)).isEqualTo(bytes);
	}

	@Test
	void roundTripsALinearRegression() {
		ModelArtifact artifact = new ModelArtifact(Task.REGRESSION, null, preprocessing(),
				new NetworkWeights(List.of(new DenseLayer(4, 1, new double[] { 1, 2, 3, 4 }, new double[] { 9 })), null,
						OutputKind.IDENTITY));
		ModelArtifact decoded = ModelArtifactCodec.decode(ModelArtifactCodec.encode(artifact));
		assertThat(decoded.task()).isEqualTo(Task.REGRESSION);
		assertThat(decoded.classLabels()).isEmpty();
		assertThat(decoded.preprocessing()).isEqualTo(artifact.preprocessing());
		assertSameNetwork(decoded.network(), artifact.network());
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
		ModelArtifact wrongInputs = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(), new NetworkWeights(
				List.of(new DenseLayer(3, 1, new double[3], new double[1])), null, OutputKind.IDENTITY));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.encode(wrongInputs));
		ModelArtifact wrongLength = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(), new NetworkWeights(
				List.of(new DenseLayer(4, 1, new double[3], new double[1])), null, OutputKind.IDENTITY));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.encode(wrongLength));
		ModelArtifact noLayers = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
				new NetworkWeights(List.of(), null, OutputKind.IDENTITY));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.encode(noLayers));
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
		return new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b", "c"), preprocessing(), null, kernelModel());
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
	void writesVersionThree() {
		byte[] bytes = ModelArtifactCodec.encode(classifier());
		assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt()).isEqualTo(3);
	}

	@Test
	void readsVersionTwoKernelArtifactsAsOneVersusRest() {
		byte[] v2 = Base64.getDecoder().decode(KERNEL_CLASSIFIER_V2);
		assertThat(java.nio.ByteBuffer.wrap(v2, 4, 4).getInt()).isEqualTo(2);
		ModelArtifact decoded = ModelArtifactCodec.decode(v2);
		KernelModel k = decoded.kernel();
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
		// re-encoding writes version 3 with the same content
		byte[] v3 = ModelArtifactCodec.encode(decoded);
		assertThat(java.nio.ByteBuffer.wrap(v3, 4, 4).getInt()).isEqualTo(3);
		assertThat(v3).isEqualTo(ModelArtifactCodec.encode(kernelClassifier()));
	}

	@Test
	void roundTripsAOneVersusOneModel() {
		for (boolean calibrated : new boolean[] { false, true }) {
			ModelArtifact artifact = new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b", "c", "d"),
					preprocessing(), null, oneVsOneModel(calibrated));
			byte[] bytes = ModelArtifactCodec.encode(artifact);
			ModelArtifact decoded = ModelArtifactCodec.decode(bytes);
			KernelModel k = decoded.kernel();
			assertThat(k.strategy()).isEqualTo(KernelModel.OVO);
			assertThat(k.pairs()).hasDimensions(6, 2);
			assertThat(k.calibrated()).isEqualTo(calibrated);
			assertThat(Arrays.deepEquals(k.coefficients(), artifact.kernel().coefficients())).isTrue();
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
		assertThat(decoded.kernel()).isNull();
		assertSameNetwork(decoded.network(), classifier().network());
		// re-encoding upgrades it to version 3 with the same content
		assertSameNetwork(ModelArtifactCodec.decode(ModelArtifactCodec.encode(decoded)).network(), decoded.network());
	}

	@Test
	void roundTripsAKernelModelBitExactly() {
		ModelArtifact artifact = kernelClassifier();
		byte[] bytes = ModelArtifactCodec.encode(artifact);
		ModelArtifact decoded = ModelArtifactCodec.decode(bytes);
		assertThat(decoded.network()).isNull();
		assertThat(decoded.classLabels()).containsExactly("a", "b", "c");
		assertThat(decoded.preprocessing()).isEqualTo(artifact.preprocessing());
		KernelModel k = decoded.kernel();
		KernelModel e = artifact.kernel();
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
	void artifactsHoldExactlyOnePredictor() {
		Preprocessing p = preprocessing();
		NetworkWeights network = classifier().network();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b", "c"), p, null, null));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b", "c"), p, network, kernelModel()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ModelArtifact(Task.REGRESSION, List.of("a", "b", "c"), p, null, kernelModel()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ModelArtifact(Task.CLASSIFICATION, List.of("a", "b"), p, null, kernelModel()));
		assertThat(classifier().kernel()).isNull();
	}

	@Test
	void predictDispatchesToTheNetworkOrTheKernelModel() {
		double[][] rows = { { 0.3, -0.7, 1, 0 }, { 1, 2, 0, 1 } };
		ModelArtifact network = classifier();
		assertThat(network.predict(rows[0])).containsExactly(Network.predict(network.network(), rows[0], 3));
		assertThat(network.predictBatch(rows)).isDeepEqualTo(Network.predictBatch(network.network(), rows, 3));
		ModelArtifact regression = new ModelArtifact(Task.REGRESSION, null, preprocessing(),
				new NetworkWeights(List.of(new DenseLayer(4, 1, new double[] { 1, 2, 3, 4 }, new double[] { 9 })), null,
						OutputKind.IDENTITY));
		assertThat(regression.predict(rows[1])).containsExactly(1 + 4 + 0 + 4 + 9.0);
		// linear kernel, one support vector e1 with coefficient 2, bias -1: f(e1) = 1,
		// uncalibrated p = sigmoid(1)
		KernelModel binary = new KernelModel(Kernel.LINEAR, 1, 1, 0, KernelModel.EXACT, 4,
				new double[][] { { 1, 0, 0, 0 } }, new double[][] { { 2 } }, new double[] { -1 }, new double[] { -1 },
				new double[] { 0 }, false, 2);
		ModelArtifact svm = new ModelArtifact(Task.CLASSIFICATION, List.of("no", "yes"), preprocessing(), null, binary);
		double[] p = svm.predict(new double[] { 1, 0, 0, 0 });
		assertThat(p[1]).isCloseTo(0.7310585786300049, within(1e-15));
		assertThat(p[0] + p[1]).isEqualTo(1.0);
		double[][] batch = svm.predictBatch(new double[][] { { 1, 0, 0, 0 }, { 0, 5, 5, 5 } });
		assertThat(batch[0]).containsExactly(p);
		assertThat(batch[1][1]).isCloseTo(1 / (1 + Math.E), within(1e-15)); // f = -1
	}

}
