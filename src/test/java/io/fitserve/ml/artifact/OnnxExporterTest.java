package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exported graph, run by ONNX Runtime, against fitserve's own
 * {@link Preprocessing#transformRow} and {@link ModelArtifact#predict} on hand-made
 * networks of every output kind, with missing, unseen and oddly spelled values.
 * (ModelExportTest does the same end to end, on trained models over HTTP.)
 */
class OnnxExporterTest {

	private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

	/**
	 * size: numeric; color: categorical (one level unseen in training is added at
	 * scoring); flag: boolean.
	 */
	private static final Preprocessing PREPROCESSING = new Preprocessing(
			List.of(FeatureTransform.numeric("size", 2.5, 1.5),
					FeatureTransform.categorical("color", FeatureTransform.CATEGORICAL, List.of("blue", "red", "x y"),
							"red"),
					FeatureTransform.categorical("flag", FeatureTransform.BOOLEAN, List.of("false", "true"), "true"),
					FeatureTransform.numeric("weight", -1.0, 0.25),
					// missing in every training row: no encoded column, an input the
					// graph does
					// not read
					FeatureTransform.categorical("never seen", FeatureTransform.CATEGORICAL, List.of(), null)));

	/**
	 * Raw rows: numeric as Double (null = missing), categorical as the string a client
	 * sends.
	 */
	private static final Object[][] ROWS = { { 1.0, "blue", "true", 3.0, "a" }, { null, "red", "false", -2.0, "" },
			{ 4.5, "green", "YES", 0.0, "b" }, // unseen category
			{ -3.0, "", "No", null, null }, // empty string: missing
			{ 2.5, "x y", "maybe", 1e6, "c" }, // not a boolean: most frequent
			{ 0.1, "Blue", "tRUE", -0.5, "d" }, // categories are case-sensitive, booleans
												// are not
	};

	private static Predictor network(SplittableRandom random, int[] sizes, Activation activation, OutputKind kind) {
		List<DenseLayer> layers = new ArrayList<>();
		for (int l = 0; l + 1 < sizes.length; l++) {
			double[] w = new double[sizes[l] * sizes[l + 1]];
			double[] b = new double[sizes[l + 1]];
			for (int i = 0; i < w.length; i++) {
				w[i] = random.nextDouble(-1.5, 1.5);
			}
			for (int i = 0; i < b.length; i++) {
				b[i] = random.nextDouble(-0.5, 0.5);
			}
			layers.add(new DenseLayer(sizes[l], sizes[l + 1], w, b));
		}
		return Predictor.network(new NetworkWeights(layers, activation, kind));
	}

	private static final int WIDTH = PREPROCESSING.outputWidth();

	@Test
	void everyNetworkKindMatchesFitservesOwnPredictions() throws OrtException {
		SplittableRandom random = new SplittableRandom(7);
		List<String> two = List.of("no", "yes");
		List<String> three = List.of("a", "b", "c");
		Map<String, ModelArtifact> artifacts = new LinkedHashMap<>();
		artifacts.put("linear regression", new ModelArtifact(Task.REGRESSION, List.of(), PREPROCESSING,
				network(random, new int[] { WIDTH, 1 }, null, OutputKind.IDENTITY)));
		artifacts.put("binary logistic", new ModelArtifact(Task.CLASSIFICATION, two, PREPROCESSING,
				network(random, new int[] { WIDTH, 1 }, null, OutputKind.SIGMOID)));
		artifacts.put("softmax", new ModelArtifact(Task.CLASSIFICATION, three, PREPROCESSING,
				network(random, new int[] { WIDTH, 3 }, null, OutputKind.SOFTMAX)));
		artifacts.put("binary svm", new ModelArtifact(Task.CLASSIFICATION, two, PREPROCESSING,
				network(random, new int[] { WIDTH, 1 }, null, OutputKind.SVM)));
		artifacts.put("one-vs-rest svm", new ModelArtifact(Task.CLASSIFICATION, three, PREPROCESSING,
				network(random, new int[] { WIDTH, 3 }, null, OutputKind.SVM)));
		artifacts.put("mlp relu", new ModelArtifact(Task.CLASSIFICATION, three, PREPROCESSING,
				network(random, new int[] { WIDTH, 5, 4, 3 }, Activation.RELU, OutputKind.SOFTMAX)));
		artifacts.put("mlp tanh regression", new ModelArtifact(Task.REGRESSION, List.of(), PREPROCESSING,
				network(random, new int[] { WIDTH, 6, 1 }, Activation.TANH, OutputKind.IDENTITY)));
		artifacts.put("mlp sigmoid binary", new ModelArtifact(Task.CLASSIFICATION, two, PREPROCESSING,
				network(random, new int[] { WIDTH, 4, 2 }, Activation.SIGMOID, OutputKind.SOFTMAX)));

		for (Map.Entry<String, ModelArtifact> e : artifacts.entrySet()) {
			ModelArtifact artifact = e.getValue();
			for (double threshold : new double[] { Double.NaN, 0.3 }) {
				Map<String, Object> outputs = run(OnnxExporter.export(artifact, threshold, "test", Map.of()), ROWS);
				for (int r = 0; r < ROWS.length; r++) {
					double[] expected = artifact.predict(PREPROCESSING.transformRow(fitserveRow(ROWS[r])));
					String what = e.getKey() + " row " + r + " threshold " + threshold;
					if (artifact.task() == Task.REGRESSION) {
						assertThat(((double[]) outputs.get("value"))[r]).as(what)
							.isCloseTo(expected[0], org.assertj.core.data.Offset.offset(1e-12));
						continue;
					}
					double[] probabilities = ((double[][]) outputs.get("probabilities"))[r];
					for (int c = 0; c < expected.length; c++) {
						assertThat(probabilities[c]).as(what)
							.isCloseTo(expected[c], org.assertj.core.data.Offset.offset(1e-12));
					}
					int best = 0;
					for (int c = 1; c < expected.length; c++) {
						best = expected[c] > expected[best] ? c : best;
					}
					if (expected.length == 2 && !Double.isNaN(threshold)) {
						best = expected[1] >= threshold ? 1 : 0;
					}
					assertThat(((String[]) outputs.get("label"))[r]).as(what)
						.isEqualTo(artifact.classLabels().get(best));
				}
			}
		}
	}

	@Test
	void writesProvenanceAndTheSignatureIntoTheModel() throws OrtException {
		ModelArtifact artifact = new ModelArtifact(Task.CLASSIFICATION, List.of("no", "yes \"quoted\""), PREPROCESSING,
				network(new SplittableRandom(1), new int[] { WIDTH, 1 }, null, OutputKind.SIGMOID));
		Map<String, String> provenance = new LinkedHashMap<>();
		provenance.put("model_id", "m-1");
		provenance.put("algorithm", "logistic_regression");
		byte[] bytes = OnnxExporter.export(artifact, 0.4, "1.2.3", provenance);
		try (OrtSession session = ENV.createSession(bytes, new OrtSession.SessionOptions())) {
			assertThat(session.getInputNames()).containsExactly("size", "color", "flag", "weight", "never seen");
			assertThat(session.getOutputNames()).containsExactly("label", "probabilities");
			assertThat(session.getMetadata().getProducerName()).isEqualTo("fitserve");
			assertThat(session.getMetadata().getCustomMetadata()).containsEntry("model_id", "m-1")
				.containsEntry("algorithm", "logistic_regression")
				.containsEntry("task", "classification")
				.containsEntry("feature_names", "[\"size\",\"color\",\"flag\",\"weight\",\"never seen\"]")
				.containsEntry("feature_types", "[\"numeric\",\"categorical\",\"boolean\",\"numeric\",\"categorical\"]")
				.containsEntry("class_labels", "[\"no\",\"yes \\\"quoted\\\"\"]")
				.containsEntry("decision_threshold", "0.4");
		}
	}

	@Test
	void refusesAFeatureNamedLikeAnOutput() {
		Preprocessing clash = new Preprocessing(List.of(FeatureTransform.numeric("value", 0, 1)));
		ModelArtifact regression = new ModelArtifact(Task.REGRESSION, List.of(), clash,
				network(new SplittableRandom(1), new int[] { 1, 1 }, null, OutputKind.IDENTITY));
		assertThatThrownBy(() -> OnnxExporter.export(regression, Double.NaN, "t", Map.of()))
			.isInstanceOf(OnnxExportNotSupportedException.class)
			.hasMessageContaining("'value'");
	}

	@Test
	void booleanSpellingsAreEveryCase() {
		assertThat(OnnxExporter.caseVariants("no")).containsExactlyInAnyOrder("no", "No", "nO", "NO");
		assertThat(OnnxExporter.caseVariants("false")).hasSize(32);
	}

	/** What PredictionService hands transformRow: missing and empty strings as null. */
	private static Object[] fitserveRow(Object[] row) {
		Object[] out = row.clone();
		for (int j = 0; j < out.length; j++) {
			if ("".equals(out[j])) {
				out[j] = null;
			}
		}
		return out;
	}

	/**
	 * Feeds the rows to ONNX Runtime: numeric as double [N, 1] (NaN = missing), the
	 * others as string [N, 1].
	 */
	static Map<String, Object> run(byte[] model, Object[][] rows) throws OrtException {
		try (OrtSession session = ENV.createSession(model, new OrtSession.SessionOptions())) {
			Map<String, OnnxTensor> inputs = new HashMap<>();
			try {
				List<FeatureTransform> features = PREPROCESSING.features();
				for (int j = 0; j < features.size(); j++) {
					if (features.get(j).numericFeature()) {
						double[][] column = new double[rows.length][1];
						for (int r = 0; r < rows.length; r++) {
							column[r][0] = rows[r][j] == null ? Double.NaN : (Double) rows[r][j];
						}
						inputs.put(features.get(j).name(), OnnxTensor.createTensor(ENV, column));
					}
					else {
						String[] column = new String[rows.length];
						for (int r = 0; r < rows.length; r++) {
							column[r] = rows[r][j] == null ? "" : (String) rows[r][j];
						}
						inputs.put(features.get(j).name(),
								OnnxTensor.createTensor(ENV, column, new long[] { rows.length, 1 }));
					}
				}
				Map<String, Object> out = new HashMap<>();
				try (OrtSession.Result result = session.run(inputs)) {
					for (Map.Entry<String, OnnxValue> e : result) {
						out.put(e.getKey(), e.getValue().getValue());
					}
				}
				return out;
			}
			finally {
				inputs.values().forEach(OnnxTensor::close);
			}
		}
	}

}
