package io.fitserve.prediction;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.Predictor;
import io.fitserve.ml.kernel.Kernel;
import io.fitserve.ml.kernel.KernelModel;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.fitserve.errors.DomainException;
import io.fitserve.models.ModelService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The serving path reads each row with one lookup per key; the reference is the previous
 * path (LegacyPredictionService), which looked every feature up by name. On many
 * generated requests, valid and invalid, both must give equal responses (predictions
 * compared with Double.equals, so bit for bit) or equal errors, in the same order.
 */
class PredictionServiceEquivalenceTest {

	private static final List<FeatureTransform> FEATURES = List.of(FeatureTransform.numeric("a", 1.5, 2.0),
			FeatureTransform.categorical("color", FeatureTransform.CATEGORICAL, List.of("blue", "green", "red"), "red"),
			FeatureTransform.numeric("b", -3.25, 0.75),
			FeatureTransform.categorical("flag", FeatureTransform.BOOLEAN, List.of("false", "true"), "true"),
			FeatureTransform.numeric("c", 0.0, 10.0),
			FeatureTransform.categorical("size", FeatureTransform.CATEGORICAL, List.of("1", "2", "3"), "2"));

	/** Encoded width of FEATURES: 3 numeric + 3 + 2 + 3 one-hot columns. */
	private static final int WIDTH = 11;

	@Test
	void binaryLogisticModelsAnswerAsBefore() {
		compare(artifact(Task.CLASSIFICATION, List.of("no", "yes"),
				new NetworkWeights(List.of(layer(WIDTH, 1, 1)), null, OutputKind.SIGMOID)), 11);
	}

	@Test
	void multiclassNetworksAnswerAsBefore() {
		compare(artifact(Task.CLASSIFICATION, List.of("x", "y", "z"),
				new NetworkWeights(List.of(layer(WIDTH, 4, 2), layer(4, 3, 3)), Activation.TANH, OutputKind.SOFTMAX)),
				12);
	}

	@Test
	void regressionModelsAnswerAsBefore() {
		compare(artifact(Task.REGRESSION, List.of(),
				new NetworkWeights(List.of(layer(WIDTH, 1, 4)), null, OutputKind.IDENTITY)), 13);
	}

	/**
	 * explain: linear models (one or more output units) explain as before (now naming
	 * their method, "exact"); MLPs and kernel SVMs, which answered 400, now predict as
	 * before and add sampled explanations that add up to the probability they report
	 * (these artifacts have no background: one reference row, with a warning).
	 */
	@Test
	void explainAnswersAsBeforeForEveryKindOfModel() {
		double[] ones = new double[WIDTH];
		java.util.Arrays.fill(ones, 1.0);
		KernelModel kernel = new KernelModel(Kernel.RBF, 0.1, 3, 0, KernelModel.EXACT, WIDTH,
				new double[][] { new double[WIDTH], ones }, new double[][] { { 1, -1 } }, new double[] { 0.2 },
				new double[] { -1 }, new double[] { 0 }, false, 2);
		Map<String, ModelArtifact> artifacts = new LinkedHashMap<>();
		artifacts.put("logistic_regression", artifact(Task.CLASSIFICATION, List.of("no", "yes"),
				new NetworkWeights(List.of(layer(WIDTH, 1, 1)), null, OutputKind.SIGMOID)));
		artifacts.put("linear_svm", artifact(Task.CLASSIFICATION, List.of("x", "y", "z"),
				new NetworkWeights(List.of(layer(WIDTH, 3, 5)), null, OutputKind.SVM)));
		artifacts.put("linear_regression", artifact(Task.REGRESSION, List.of(),
				new NetworkWeights(List.of(layer(WIDTH, 1, 4)), null, OutputKind.IDENTITY)));
		artifacts.put("mlp", artifact(Task.CLASSIFICATION, List.of("x", "y", "z"),
				new NetworkWeights(List.of(layer(WIDTH, 4, 2), layer(4, 3, 3)), Activation.TANH, OutputKind.SOFTMAX)));
		artifacts.put("svm", new ModelArtifact(Task.CLASSIFICATION, List.of("no", "yes"), new Preprocessing(FEATURES),
				Predictor.kernel(kernel)));
		Random random = new Random(21);
		for (Map.Entry<String, ModelArtifact> e : artifacts.entrySet()) {
			UUID id = UUID.randomUUID();
			ModelService models = mock(ModelService.class);
			when(models.serving(id.toString()))
				.thenReturn(new ModelService.ServingModel(id, e.getKey(), 0.3, e.getValue()));
			PredictionProperties properties = new PredictionProperties(10000,
					org.springframework.util.unit.DataSize.ofMegabytes(32), 100_000_000);
			PredictionService current = new PredictionService(models, properties);
			LegacyPredictionService legacy = new LegacyPredictionService(models, properties);
			for (int request = 0; request < 20; request++) {
				List<Map<String, Object>> body = new ArrayList<>();
				for (int r = 0; r < 1 + random.nextInt(5); r++) {
					body.add(row(random, 0.0));
				}
				Object threshold = e.getValue().classLabels().size() == 2 && random.nextBoolean() ? 0.7 : null;
				PredictionRequest req = new PredictionRequest(body, threshold, true);
				Object expected = outcome(() -> legacy.predict(id.toString(), req));
				PredictionResponse actual = current.predict(id.toString(), req);
				if (e.getKey().equals("mlp") || e.getKey().equals("svm")) {
					assertThat(expected).isEqualTo(List.of(io.fitserve.errors.DomainException.Kind.INVALID,
							"explain is available for linear models (linear_regression, logistic_regression, "
									+ "linear_svm) and tree models (gradient_boosting, random_forest); this model is "
									+ e.getKey() + ".",
							List.of(io.fitserve.errors.FieldError.field("explain",
									"not available for " + e.getKey()))));
					PredictionResponse plain = legacy.predict(id.toString(),
							new PredictionRequest(body, threshold, false));
					assertThat(withoutExplanations(actual).predictions()).isEqualTo(plain.predictions());
					assertThat(actual.warnings()).hasSize(plain.warnings().size() + 1)
						.endsWith(plain.warnings().toArray(String[]::new));
					assertThat(actual.warnings().get(0)).startsWith("this model was trained before explanation");
					for (PredictionResponse.Prediction p : actual.predictions()) {
						PredictionResponse.Explanation x = p.explanation();
						assertThat(x.method()).isEqualTo("sampling_shapley");
						assertThat(x.space()).isEqualTo("probability");
						assertThat(x.output()).isEqualTo(p.label());
						assertThat(x.backgroundSource()).isEqualTo("reference_row");
						assertThat(x.background()).isEqualTo(1);
						assertThat(x.score()).isEqualTo(p.probabilities().get(p.label()));
						double sum = x.intercept();
						for (PredictionResponse.Contribution c : x.contributions()) {
							sum += c.value();
						}
						assertThat(sum).isCloseTo(x.score(), org.assertj.core.api.Assertions.within(1e-12));
					}
				}
				else {
					assertThat(asBefore(actual)).as("%s request %d", e.getKey(), request).isEqualTo(expected);
					assertThat(((PredictionResponse) expected).predictions().get(0).explanation()).isNotNull();
					assertThat(actual.predictions().get(0).explanation().method()).isEqualTo("exact");
				}
			}
		}
	}

	private static void compare(ModelArtifact artifact, long seed) {
		UUID id = UUID.randomUUID();
		ModelService models = mock(ModelService.class);
		when(models.serving(id.toString())).thenReturn(new ModelService.ServingModel(id, "test", 0.3, artifact));
		PredictionProperties properties = new PredictionProperties(10000,
				org.springframework.util.unit.DataSize.ofMegabytes(32), 100_000_000);
		PredictionService current = new PredictionService(models, properties);
		LegacyPredictionService legacy = new LegacyPredictionService(models, properties);
		Random random = new Random(seed);
		boolean binary = artifact.classLabels().size() == 2;
		int answered = 0;
		int rejected = 0;
		for (int request = 0; request < 400; request++) {
			// mostly clean requests (large ones too: past SPLIT_ROWS, two halves that
			// end in part-filled batches), some with one kind of problem or another
			int kind = random.nextInt(4);
			int rows = request % 50 == 0 ? PredictionService.SPLIT_ROWS + 2 * PredictionService.BATCH_ROWS + 7
					: 1 + random.nextInt(30);
			List<Map<String, Object>> body = new ArrayList<>(rows);
			for (int r = 0; r < rows; r++) {
				body.add(row(random, kind == 0 ? 0.0 : 0.02));
			}
			Object threshold = binary && random.nextBoolean() ? (random.nextBoolean() ? "best_f1" : 0.7) : null;
			PredictionRequest req = new PredictionRequest(body, threshold, false);
			Object expected = outcome(() -> legacy.predict(id.toString(), req));
			Object actual = outcome(() -> current.predict(id.toString(), req));
			assertThat(actual).as("request %d", request).isEqualTo(expected);
			if (expected instanceof PredictionResponse response) {
				assertThat(response.predictions()).hasSize(rows);
				answered++;
			}
			else {
				rejected++;
			}
		}
		// both kinds of outcome were exercised
		assertThat(answered).isGreaterThan(50);
		assertThat(rejected).isGreaterThan(20);
	}

	/** The response with its explanations dropped. */
	private static PredictionResponse withoutExplanations(PredictionResponse response) {
		return new PredictionResponse(response.modelId(),
				response.predictions()
					.stream()
					.map(p -> new PredictionResponse.Prediction(p.value(), p.label(), p.probabilities(), null))
					.toList(),
				response.warnings());
	}

	/**
	 * The response with its explanations as the legacy service built them (no method).
	 */
	private static PredictionResponse asBefore(PredictionResponse response) {
		return new PredictionResponse(response.modelId(), response.predictions().stream().map(p -> {
			PredictionResponse.Explanation x = p.explanation();
			return new PredictionResponse.Prediction(p.value(), p.label(), p.probabilities(),
					x == null ? null : new PredictionResponse.Explanation(x.output(), x.score(), x.intercept(),
							x.contributions(), x.space()));
		}).toList(), response.warnings());
	}

	/** The response, or the error's status, detail and field errors. */
	private static Object outcome(java.util.function.Supplier<PredictionResponse> call) {
		try {
			return call.get();
		}
		catch (DomainException ex) {
			return List.of(ex.kind(), String.valueOf(ex.getMessage()), ex.errors());
		}
	}

	/**
	 * A row keyed by feature name; with probability p per feature, something unusual
	 * instead of a plain value.
	 */
	private static Map<String, Object> row(Random random, double p) {
		Map<String, Object> row = new LinkedHashMap<>();
		if (random.nextDouble() < 0.3) {
			row.put("extra" + random.nextInt(3), random.nextInt(5));
		}
		numeric(row, "a", random, p);
		category(row, "color", new String[] { "blue", "green", "red", " red ", "purple" }, random, p);
		numeric(row, "b", random, p);
		if (random.nextDouble() < p) {
			row.put("flag", random.nextBoolean() ? "TRUE" : "maybe");
		}
		else {
			row.put("flag", random.nextBoolean());
		}
		numeric(row, "c", random, p);
		if (random.nextDouble() < p) {
			row.put("size", random.nextBoolean() ? 2.5 : 7);
		}
		else {
			row.put("size", 1 + random.nextInt(3));
		}
		if (random.nextDouble() < p) {
			row.remove(List.copyOf(row.keySet()).get(random.nextInt(row.size())));
		}
		return row;
	}

	private static void numeric(Map<String, Object> row, String name, Random random, double p) {
		double v = random.nextGaussian() * 5 + 1;
		if (random.nextDouble() >= p) {
			row.put(name, v);
			return;
		}
		row.put(name, switch (random.nextInt(8)) {
			case 0 -> null;
			case 1 -> Double.toString(v);
			case 2 -> "NA";
			case 3 -> "abc";
			case 4 -> Double.NaN;
			case 5 -> random.nextInt(100);
			case 6 -> new BigDecimal("12.5");
			default -> List.of(1);
		});
	}

	private static void category(Map<String, Object> row, String name, String[] values, Random random, double p) {
		if (random.nextDouble() < p) {
			row.put(name, random.nextBoolean() ? null : values[3 + random.nextInt(2)]);
		}
		else {
			row.put(name, values[random.nextInt(3)]);
		}
	}

	private static ModelArtifact artifact(Task task, List<String> labels, NetworkWeights network) {
		return new ModelArtifact(task, labels, new Preprocessing(FEATURES), Predictor.network(network));
	}

	/** A seeded random dense layer (also used by PredictionJsonReaderTest). */
	static DenseLayer layer(int inputs, int outputs, long seed) {
		Random random = new Random(seed);
		double[] weights = new double[inputs * outputs];
		for (int i = 0; i < weights.length; i++) {
			weights[i] = random.nextGaussian();
		}
		double[] bias = new double[outputs];
		for (int i = 0; i < outputs; i++) {
			bias[i] = random.nextGaussian() * 0.1;
		}
		return new DenseLayer(inputs, outputs, weights, bias);
	}

}
