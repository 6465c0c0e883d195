package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.Preprocessing;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Artifacts of trained models encode to the very bytes they did before compressed weights
 * existed: the SHA-256 below were computed with the codec of commit b9da209 (format
 * versions 4 and 5 only), for an MLP with provenance, the same with a background, and a
 * linear regression.
 */
class ModelArtifactGoldenBytesTest {

	static Preprocessing preprocessing() {
		ColumnData x = new ColumnData("x", ColumnType.NUMERIC, new double[] { 1.5, -2.25, Double.NaN, 8 }, null, null);
		ColumnData color = new ColumnData("color", ColumnType.CATEGORICAL, null, new int[] { 0, 1, 2, 1 },
				List.of("red", "blue", "grün"));
		return Preprocessing.fit(List.of(x, color), new int[] { 0, 1, 2, 3 });
	}

	static ModelProvenance provenance() {
		return new ModelProvenance("1.2.3", "17.0.9", "Eclipse", "Linux", "amd64", 2, null, "cpu", "CpuBackend",
				Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:00:05Z"), 42L, "mlp",
				Map.of("hiddenLayers", List.of(2)), "d-1", "abc", trainingRows());
	}

	/** In a fixed order: Map.of's order changes from one JVM to the next. */
	static Map<String, Object> trainingRows() {
		Map<String, Object> rows = new java.util.LinkedHashMap<>();
		rows.put("trainedOn", "train split");
		rows.put("rows", 3);
		return rows;
	}

	static ModelArtifact mlp() {
		DenseLayer hidden = new DenseLayer(4, 2, new double[] { 0.1, -0.2, 1e-300, Math.PI, -0.0, 7, 1e20, -3.5 },
				new double[] { 0.5, -0.5 });
		DenseLayer out = new DenseLayer(2, 3, new double[] { 1, 2, 3, 4, 5, 6 },
				new double[] { -1, 0, Double.MIN_VALUE });
		return new ModelArtifact(Task.CLASSIFICATION, List.of("setosa", "versicolor", "virginica"), preprocessing(),
				Predictor.network(new NetworkWeights(List.of(hidden, out), Activation.TANH, OutputKind.SOFTMAX)),
				provenance());
	}

	static ModelArtifact linear() {
		return new ModelArtifact(Task.REGRESSION, null, preprocessing(),
				Predictor.network(new NetworkWeights(
						List.of(new DenseLayer(4, 1, new double[] { 1, 2, 3, 4 }, new double[] { 9 })), null,
						OutputKind.IDENTITY)));
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	@Test
	void trainedModelsEncodeAsBefore() throws Exception {
		double[][] background = { { 0.25, 1, 0, 0 }, { -1.5, 0, 0, 1 } };
		assertThat(sha256(ModelArtifactCodec.encode(mlp())))
			.isEqualTo("c7f7e4bdd197e7772a1159e1545cd51f51f87db12b851c3b23ee0d8e8a9d2dca");
		assertThat(sha256(ModelArtifactCodec.encode(mlp().withBackground(background))))
			.isEqualTo("e3e40a4e770092ef774d4b08daf531a17ecd6085c9f606afde94a935057fc608");
		assertThat(sha256(ModelArtifactCodec.encode(linear())))
			.isEqualTo("c969d4909544bee6b6286b0ea8023832a99bf7d952bed53b31280aa8e255c019");
		// and they decode and encode again to the same bytes
		byte[] bytes = ModelArtifactCodec.encode(mlp().withBackground(background));
		assertThat(ModelArtifactCodec.encode(ModelArtifactCodec.decode(bytes))).isEqualTo(bytes);
		assertThat(ModelArtifactCodec.decode(bytes).weightPrecision()).isEqualTo(WeightPrecision.FLOAT64);
	}

}
