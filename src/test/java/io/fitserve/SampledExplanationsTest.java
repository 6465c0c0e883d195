package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * explain for mlp and svm models over real HTTP (real H2, real training): sampled Shapley
 * values of the predicted class's probability (or the regression value) against the
 * background of training rows the artifact carries; the contributions plus the intercept
 * add up to the score, the score is the probability or value the same answer reports, the
 * answer names its method, samples, background and seed, the same request answers the
 * same, the registry answers as the model, and a request over
 * fitserve.prediction.max-explain-evaluations is refused before any work.
 */
class SampledExplanationsTest {

	/** 1 + 100 + 64 x 4 x 100 evaluations per row: 19 rows pass, 20 do not. */
	static final long BUDGET = 500_000;

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.training.max-concurrent-jobs=1",
			"--fitserve.prediction.max-explain-evaluations=" + BUDGET);

	static final List<String> FEATURES = List.of("x1", "x2", "x3", "x4", "color");

	static final String[] COLORS = { "red", "green", "blue" };

	static HttpTestClient http;

	static String datasetId;

	@BeforeAll
	static void upload() {
		http = server.http();
		HttpTestClient.Response r = http.upload("explain.csv", csv().getBytes(StandardCharsets.UTF_8), null);
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		datasetId = (String) r.json().get("id");
	}

	/**
	 * 400 rows, x1..x4 uniform in [-2, 2], a color; three targets: y (regression, with an
	 * interaction), binary (a nonlinear boundary) and three (three classes).
	 */
	static String csv() {
		StringBuilder csv = new StringBuilder("x1,x2,x3,x4,color,y,binary,three\n");
		Random random = new Random(17);
		for (int i = 0; i < 400; i++) {
			double[] x = new double[4];
			for (int j = 0; j < 4; j++) {
				x[j] = random.nextDouble() * 4 - 2;
			}
			int c = random.nextInt(3);
			double offset = c - 1;
			double y = x[0] * x[1] + Math.sin(x[2]) + offset + 0.5 * x[3] + random.nextGaussian() * 0.05;
			boolean binary = x[0] + x[1] * x[2] + offset > 0;
			double[] scores = { x[0], x[1], x[2] + offset };
			int three = scores[0] > scores[1] ? (scores[0] > scores[2] ? 0 : 2) : (scores[1] > scores[2] ? 1 : 2);
			csv.append(x[0])
				.append(',')
				.append(x[1])
				.append(',')
				.append(x[2])
				.append(',')
				.append(x[3])
				.append(',')
				.append(COLORS[c])
				.append(',')
				.append(y)
				.append(',')
				.append(binary ? "yes" : "no")
				.append(',')
				.append("abc".charAt(three))
				.append('\n');
		}
		return csv.toString();
	}

	static Map<String, Object> train(String algorithm, String target, Map<String, Object> hyperparameters)
			throws InterruptedException {
		return TrainingMethodsTest.trainWith(http, Map.of("datasetId", datasetId, "target", target, "features",
				FEATURES, "algorithm", algorithm, "hyperparameters", hyperparameters, "seed", 7));
	}

	static Map<String, Object> mlp(String target) throws InterruptedException {
		return train("mlp", target, Map.of("hiddenLayers", List.of(16), "epochs", 40, "learningRate", 0.01));
	}

	static List<Map<String, Object>> rows(int n) {
		Random random = new Random(99);
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			Map<String, Object> row = new LinkedHashMap<>();
			for (int j = 1; j <= 4; j++) {
				row.put("x" + j, Math.round((random.nextDouble() * 4 - 2) * 100) / 100.0);
			}
			row.put("color", COLORS[random.nextInt(3)]);
			rows.add(row);
		}
		// a missing value and a missing category: imputed, still explained
		rows.get(0).put("x2", null);
		rows.get(0).put("color", null);
		return rows;
	}

	static HttpTestClient.Response explain(String path, List<Map<String, Object>> rows, Map<String, Object> options) {
		Map<String, Object> body = new HashMap<>(options);
		body.put("rows", rows);
		body.put("explain", true);
		return http.postJson(path, body);
	}

	static Map<String, Object> explainOk(Object modelId, List<Map<String, Object>> rows, Map<String, Object> options) {
		HttpTestClient.Response r = explain("/api/v1/models/" + modelId + "/predictions", rows, options);
		assertThat(r.status()).as(r.body()).isEqualTo(200);
		return r.json();
	}

	/**
	 * Every prediction's explanation: sampled, adding up, its score the reported
	 * probability of its label (classification) or the value; returns the explanations.
	 */
	static List<Map<String, Object>> checkSampled(Map<String, Object> body, boolean classification, int samples,
			boolean exhaustive) {
		List<Map<String, Object>> predictions = at(body, "predictions");
		List<Map<String, Object>> explanations = new ArrayList<>();
		for (Map<String, Object> p : predictions) {
			Map<String, Object> e = at(p, "explanation");
			assertThat(e.get("method")).isEqualTo("sampling_shapley");
			assertThat(e.get("samples")).isEqualTo(samples);
			assertThat(e.get("exhaustive")).isEqualTo(exhaustive);
			assertThat(e.get("background")).isEqualTo(100);
			assertThat(e.get("backgroundSource")).isEqualTo("training_sample");
			List<Map<String, Object>> contributions = at(e, "contributions");
			assertThat(contributions).extracting(c -> c.get("feature")).containsExactlyElementsOf(FEATURES);
			double score = ((Number) e.get("score")).doubleValue();
			double sum = ((Number) e.get("intercept")).doubleValue();
			for (Map<String, Object> c : contributions) {
				sum += ((Number) c.get("value")).doubleValue();
			}
			assertThat(sum).isCloseTo(score, within(1e-6));
			if (classification) {
				assertThat(e.get("space")).isEqualTo("probability");
				assertThat(e.get("output")).isEqualTo(p.get("label"));
				Map<String, Object> probabilities = at(p, "probabilities");
				assertThat(score).isEqualTo(((Number) probabilities.get(p.get("label"))).doubleValue());
			}
			else {
				assertThat(e.get("space")).isEqualTo("value");
				assertThat(e.get("output")).isEqualTo("value");
				assertThat(score).isEqualTo(((Number) p.get("value")).doubleValue());
			}
			explanations.add(e);
		}
		return explanations;
	}

	@Test
	void mlpClassificationBinaryAndMulticlass() throws Exception {
		for (String target : List.of("binary", "three")) {
			Map<String, Object> model = mlp(target);
			List<Map<String, Object>> rows = rows(5);
			// 5 features: 120 permutations, more than the default 64, which are sampled
			Map<String, Object> body = explainOk(model.get("id"), rows, Map.of());
			List<Map<String, Object>> first = checkSampled(body, true, 64, false);
			assertThat(first.get(0).get("seed")).isEqualTo(0);
			assertThat((List<?>) body.get("warnings")).isEmpty();
			// seeded: the same request answers the same, bit for bit
			assertThat(explainOk(model.get("id"), rows, Map.of()).get("predictions"))
				.isEqualTo(body.get("predictions"));
			// another seed: the same scores and base, the shares estimated again
			Map<String, Object> other = explainOk(model.get("id"), rows, Map.of("explainSeed", 5));
			List<Map<String, Object>> again = checkSampled(other, true, 64, false);
			assertThat(again.get(0).get("seed")).isEqualTo(5);
			assertThat(again.get(1).get("score")).isEqualTo(first.get(1).get("score"));
			assertThat(again.get(1).get("intercept")).isEqualTo(first.get(1).get("intercept"));
			// 120 or more: every permutation once, exact Shapley values for the
			// background, whatever the seed
			List<Map<String, Object>> exact = checkSampled(
					explainOk(model.get("id"), rows, Map.of("explainSamples", 500)), true, 120, true);
			List<Map<String, Object>> exactOtherSeed = checkSampled(
					explainOk(model.get("id"), rows, Map.of("explainSamples", 120, "explainSeed", 3)), true, 120, true);
			for (int r = 0; r < rows.size(); r++) {
				List<Map<String, Object>> a = at(exact.get(r), "contributions");
				List<Map<String, Object>> b = at(exactOtherSeed.get(r), "contributions");
				for (int f = 0; f < FEATURES.size(); f++) {
					assertThat(((Number) b.get(f).get("value")).doubleValue())
						.isCloseTo(((Number) a.get(f).get("value")).doubleValue(), within(1e-12));
					// the sampled estimate is near the exact value (probabilities: within
					// 0.1)
					List<Map<String, Object>> sampled = at(first.get(r), "contributions");
					assertThat(((Number) sampled.get(f).get("value")).doubleValue())
						.isCloseTo(((Number) a.get(f).get("value")).doubleValue(), within(0.1));
				}
			}
		}
	}

	@Test
	void mlpRegressionExplainsTheValueAndTheRegistryAnswersTheSame() throws Exception {
		Map<String, Object> model = mlp("y");
		List<Map<String, Object>> rows = rows(4);
		Map<String, Object> body = explainOk(model.get("id"), rows, Map.of("explainSamples", 16));
		checkSampled(body, false, 16, false);
		// an odd count: the last permutation without its reverse
		checkSampled(explainOk(model.get("id"), rows, Map.of("explainSamples", 3)), false, 3, false);

		// the registry goes through the same service: the same explanations
		HttpTestClient.Response created = http.postJson("/api/v1/registered-models",
				Map.of("name", "explained", "description", "mlp regression"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(http.postJson("/api/v1/registered-models/explained/versions", Map.of("modelId", model.get("id")))
			.status()).isEqualTo(201);
		HttpTestClient.Response registry = explain("/api/v1/registered-models/explained/versions/1/predictions", rows,
				Map.of("explainSamples", 16));
		assertThat(registry.status()).as(registry.body()).isEqualTo(200);
		assertThat(registry.json().get("predictions")).isEqualTo(body.get("predictions"));

		// exact methods name themselves and ignore the sampling options, with a warning
		Map<String, Object> linear = train("linear_regression", "y", Map.of());
		Map<String, Object> exact = explainOk(linear.get("id"), rows, Map.of("explainSamples", 16));
		Map<String, Object> e = at(exact, "predictions", 0, "explanation");
		assertThat(e).containsEntry("method", "exact").doesNotContainKeys("samples", "background", "seed");
		assertThat(HttpTestClient.<List<String>>at(exact, "warnings"))
			.containsExactly("explainSamples and explainSeed apply to sampled "
					+ "explanations (mlp, svm) only; this model's explanations are exact and they were ignored");
	}

	@Test
	void kernelSvmBinaryAndMulticlassExplainTheirProbabilities() throws Exception {
		for (String target : List.of("binary", "three")) {
			Map<String, Object> model = train("svm", target, Map.of());
			List<Map<String, Object>> rows = rows(2);
			Map<String, Object> body = explainOk(model.get("id"), rows, Map.of("explainSamples", 8));
			checkSampled(body, true, 8, false);
			assertThat(explainOk(model.get("id"), rows, Map.of("explainSamples", 8)).get("predictions"))
				.isEqualTo(body.get("predictions"));
		}
	}

	@Test
	void aRequestOverTheBudgetIsRefusedBeforeAnyWork() throws Exception {
		Map<String, Object> model = mlp("binary");
		// 19 x 25,701 = 488,319 evaluations: within the limit
		checkSampled(explainOk(model.get("id"), rows(19), Map.of()), true, 64, false);
		// 20 x 25,701 = 514,020: refused
		HttpTestClient.Response refused = explain("/api/v1/models/" + model.get("id") + "/predictions", rows(20),
				Map.of());
		assertThat(refused.status()).as(refused.body()).isEqualTo(422);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.json().get("type")).isEqualTo("urn:fitserve:problem:unprocessable-input");
		assertThat(refused.json().get("detail")).isEqualTo("The sampled explanation would cost 20 row(s) x 25701 model "
				+ "evaluations per row (1 + 100 background rows + 64 permutations x 4 x 100) = 514020 model "
				+ "evaluations, more than the limit of 500000 (fitserve.prediction.max-explain-evaluations); send "
				+ "fewer rows or a smaller explainSamples.");
		List<Map<String, Object>> errors = at(refused.json(), "errors");
		assertThat(errors).hasSize(1);
		assertThat(errors.get(0)).containsEntry("field", "explain")
			.containsEntry("message", "costs 514020 model evaluations, more than the limit of 500000 "
					+ "(fitserve.prediction.max-explain-evaluations)");
		// fewer samples fit: 20 x (1 + 100 + 32 x 4 x 100) = 258,020
		checkSampled(explainOk(model.get("id"), rows(20), Map.of("explainSamples", 32)), true, 32, false);
		// checked before the rows are read: a bad row does not change the answer
		List<Map<String, Object>> bad = rows(20);
		bad.get(3).remove("x1");
		assertThat(explain("/api/v1/models/" + model.get("id") + "/predictions", bad, Map.of()).status())
			.isEqualTo(422);
		assertThat(explain("/api/v1/models/" + model.get("id") + "/predictions", bad, Map.of()).json().get("detail"))
			.isEqualTo(refused.json().get("detail"));
		// and a sample count out of range is a 400 naming the field
		HttpTestClient.Response zero = explain("/api/v1/models/" + model.get("id") + "/predictions", rows(1),
				Map.of("explainSamples", 0));
		assertThat(zero.status()).isEqualTo(400);
		assertThat(HttpTestClient.<String>at(zero.json(), "errors", 0, "field")).isEqualTo("explainSamples");
	}

}
