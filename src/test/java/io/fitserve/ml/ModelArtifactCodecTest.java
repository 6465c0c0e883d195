package io.fitserve.ml;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fitserve.datasets.ColumnData;
import io.fitserve.datasets.ColumnType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ModelArtifactCodecTest {

	private static Preprocessing preprocessing() {
		ColumnData x = new ColumnData("x", ColumnType.NUMERIC, new double[] { 1.5, -2.25, Double.NaN, 8 }, null, null);
		ColumnData color = new ColumnData("color", ColumnType.CATEGORICAL, null, new int[] { 0, 1, 2, 1 },
				List.of("red", "blue", "grün"));
		return Preprocessing.fit(List.of(x, color), new int[] { 0, 1, 2, 3 }); // width 1 + 3 = 4
	}

	private static ModelArtifact classifier() {
		DenseLayer hidden = new DenseLayer(4, 2, new double[] { 0.1, -0.2, 1e-300, Math.PI, -0.0, 7, 1e20, -3.5 },
				new double[] { 0.5, -0.5 });
		DenseLayer out = new DenseLayer(2, 3, new double[] { 1, 2, 3, 4, 5, 6 }, new double[] { -1, 0, Double.MIN_VALUE });
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
			assertThat(Arrays.equals(a.weights(), e.weights())).isTrue(); // bit-exact, -0.0 included
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
		ModelArtifact wrongInputs = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
				new NetworkWeights(List.of(new DenseLayer(3, 1, new double[3], new double[1])), null, OutputKind.IDENTITY));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.encode(wrongInputs));
		ModelArtifact wrongLength = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
				new NetworkWeights(List.of(new DenseLayer(4, 1, new double[3], new double[1])), null, OutputKind.IDENTITY));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.encode(wrongLength));
		ModelArtifact noLayers = new ModelArtifact(Task.REGRESSION, List.of(), preprocessing(),
				new NetworkWeights(List.of(), null, OutputKind.IDENTITY));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.encode(noLayers));
	}

}
