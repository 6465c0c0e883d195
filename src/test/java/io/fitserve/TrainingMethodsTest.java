package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.io.ClassPathResource;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The training methods of the complete trainer over real HTTP: exact solvers, kernel SVM,
 * cross-validation, evaluations, tuning, importance, explanations and thresholds.
 */
class TrainingMethodsTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.training.max-concurrent-jobs=1");

	static HttpTestClient http;

	@BeforeAll
	static void start() {
		http = server.http();
	}

	static String upload(String csv) {
		HttpTestClient.Response r = http.upload("data.csv", csv.getBytes(StandardCharsets.UTF_8), null);
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		return (String) r.json().get("id");
	}

	static Map<String, Object> train(Map<String, Object> spec) throws InterruptedException {
		return trainWith(http, spec);
	}

	/** Trains through the given client and answers the succeeded job's model. */
	static Map<String, Object> trainWith(HttpTestClient http, Map<String, Object> spec) throws InterruptedException {
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs", spec);
		assertThat(r.status()).as(r.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) r.json().get("id"), Duration.ofMinutes(3));
		assertThat(job.get("status")).as(job.toString()).isEqualTo("succeeded");
		return http.get("/api/v1/models/" + job.get("modelId")).json();
	}

	/**
	 * y = 2 + 3*x1 - 1.5*x2 exactly (no noise): the normal equations must recover it to
	 * 1e-6.
	 */
	static String exactLinearCsv() {
		StringBuilder csv = new StringBuilder("x1,x2,y\n");
		Random random = new Random(3);
		for (int i = 0; i < 200; i++) {
			double x1 = random.nextGaussian() * 2 + 1;
			double x2 = random.nextDouble() * 10;
			csv.append(x1).append(',').append(x2).append(',').append(2 + 3 * x1 - 1.5 * x2).append('\n');
		}
		return csv.toString();
	}

	/** Two rings: a linear model cannot separate them, a kernel SVM can. */
	static String circlesCsv() {
		StringBuilder csv = new StringBuilder("a,b,ring\n");
		Random random = new Random(5);
		for (int i = 0; i < 400; i++) {
			boolean outer = i % 2 == 0;
			double radius = (outer ? 2.0 : 0.8) + random.nextGaussian() * 0.15;
			double angle = random.nextDouble() * 2 * Math.PI;
			csv.append(radius * Math.cos(angle))
				.append(',')
				.append(radius * Math.sin(angle))
				.append(',')
				.append(outer ? "outer" : "inner")
				.append('\n');
		}
		return csv.toString();
	}

	@Test
	void normalEquationRecoversExactCoefficientsAndExplainsRows() throws Exception {
		String id = upload(exactLinearCsv());
		Map<String, Object> model = train(Map.of("datasetId", id, "target", "y", "algorithm", "linear_regression"));
		assertThat(HttpTestClient.<String>at(model, "provenance", "trainingDetails", "solver"))
			.isEqualTo("normal_equation");
		assertThat(HttpTestClient.<Double>at(model, "metrics", "test", "r2")).isCloseTo(1.0, within(1e-9));

		// x1 = 1, x2 = 2: 2 + 3 - 3 = 2
		Map<String, Object> body = http
			.postJson("/api/v1/models/" + model.get("id") + "/predictions",
					Map.of("rows", List.of(Map.of("x1", 1, "x2", 2)), "explain", true))
			.json();
		assertThat(HttpTestClient.<Double>at(body, "predictions", 0, "value")).isCloseTo(2.0, within(1e-6));
		Map<String, Object> explanation = at(body, "predictions", 0, "explanation");
		List<Map<String, Object>> contributions = at(explanation, "contributions");
		double sum = (Double) explanation.get("intercept");
		for (Map<String, Object> c : contributions) {
			sum += ((Number) c.get("value")).doubleValue();
		}
		assertThat(sum).isCloseTo(2.0, within(1e-6));
		assertThat((Double) explanation.get("score")).isCloseTo(2.0, within(1e-6));

		// x1 moves y far more than x2 over their ranges: permutation importance ranks it
		// first
		Map<String, Object> importance = http.get("/api/v1/models/" + model.get("id") + "/feature-importance").json();
		assertThat(HttpTestClient.<String>at(importance, "permutation", "features", 0, "feature")).isEqualTo("x1");
	}

	@Test
	void kernelSvmSeparatesRingsThatLinearModelsCannot() throws Exception {
		String id = upload(circlesCsv());
		Map<String, Object> svm = train(Map.of("datasetId", id, "target", "ring", "algorithm", "svm"));
		Map<String, Object> logistic = train(
				Map.of("datasetId", id, "target", "ring", "algorithm", "logistic_regression"));
		assertThat(HttpTestClient.<Double>at(svm, "metrics", "test", "accuracy")).isGreaterThan(0.95);
		assertThat(HttpTestClient.<Double>at(logistic, "metrics", "test", "accuracy")).isLessThan(0.75);
		assertThat(HttpTestClient.<String>at(svm, "hyperparameters", "kernel")).isEqualTo("rbf");
		assertThat(HttpTestClient.<String>at(svm, "provenance", "trainingDetails", "svmApproximation"))
			.isEqualTo("none");

		Map<String, Object> body = http
			.postJson("/api/v1/models/" + svm.get("id") + "/predictions",
					Map.of("rows", List.of(Map.of("a", 0.0, "b", 0.1), Map.of("a", 2.0, "b", 0.0))))
			.json();
		assertThat(HttpTestClient.<String>at(body, "predictions", 0, "label")).isEqualTo("inner");
		assertThat(HttpTestClient.<String>at(body, "predictions", 1, "label")).isEqualTo("outer");
		// the threshold moves the decision: at 0 every row is the second class, at 1 none
		// (barring p = 1)
		body = http
			.postJson("/api/v1/models/" + svm.get("id") + "/predictions",
					Map.of("rows", List.of(Map.of("a", 0.0, "b", 0.1)), "threshold", 0.0))
			.json();
		assertThat(HttpTestClient.<String>at(body, "predictions", 0, "label")).isEqualTo("outer");

		// kernel SVMs explain rows by sampled Shapley values (two features: both orders,
		// exact for the background), in the probability the answer reports; only linear
		// models have coefficients
		HttpTestClient.Response explained = http.postJson("/api/v1/models/" + svm.get("id") + "/predictions",
				Map.of("rows", List.of(Map.of("a", 0.0, "b", 0.1)), "explain", true));
		assertThat(explained.status()).as(explained.body()).isEqualTo(200);
		Map<String, Object> explanation = at(explained.json(), "predictions", 0, "explanation");
		assertThat(explanation).containsEntry("method", "sampling_shapley")
			.containsEntry("space", "probability")
			.containsEntry("output", "inner")
			.containsEntry("samples", 2)
			.containsEntry("exhaustive", true);
		assertThat(((Number) explanation.get("score")).doubleValue()).isEqualTo(
				HttpTestClient.<Number>at(explained.json(), "predictions", 0, "probabilities", "inner").doubleValue());
		double total = ((Number) explanation.get("intercept")).doubleValue();
		for (Map<String, Object> c : HttpTestClient.<List<Map<String, Object>>>at(explanation, "contributions")) {
			total += ((Number) c.get("value")).doubleValue();
		}
		assertThat(total).isCloseTo(((Number) explanation.get("score")).doubleValue(), within(1e-9));
		assertThat(http.get("/api/v1/models/" + svm.get("id") + "/feature-importance").json())
			.doesNotContainKey("standardizedCoefficients");
		assertThat(http.get("/api/v1/models/" + logistic.get("id") + "/feature-importance").json())
			.containsKey("standardizedCoefficients");
	}

	@Test
	void crossValidationFoldsAreStratifiedAndTheFinalModelUsesAllNonTestRows() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		String id = (String) http.upload("iris.csv", iris, null).json().get("id");
		Map<String, Object> model = train(Map.of("datasetId", id, "target", "species", "algorithm",
				"logistic_regression", "crossValidation", Map.of("folds", 5)));
		// 150 rows, 30 held out for test (10 per class); the other 120 split into 5 folds
		// of 24
		List<Map<String, Object>> folds = at(model, "metrics", "crossValidation", "folds");
		assertThat(folds).hasSize(5);
		for (Map<String, Object> fold : folds) {
			assertThat(fold.get("validationRows")).isEqualTo(24);
			assertThat(fold.get("trainRows")).isEqualTo(96);
			// stratified: 8 of each species in every fold
			List<Map<String, Object>> perClass = at(fold, "metrics", "perClass");
			assertThat(perClass).extracting(c -> c.get("support")).containsOnly(8);
		}
		double mean = HttpTestClient.<Double>at(model, "metrics", "crossValidation", "mean", "accuracy");
		assertThat(mean).isGreaterThan(0.85);
		assertThat(HttpTestClient.<Double>at(model, "metrics", "crossValidation", "std", "accuracy")).isLessThan(0.1);

		// an evaluation on another dataset: the iris rows again, plus a row of an unknown
		// species
		String other = upload(new String(iris, StandardCharsets.UTF_8) + "5.0,3.0,1.5,0.2,unknown_species\n");
		HttpTestClient.Response evaluation = http.postJson("/api/v1/models/" + model.get("id") + "/evaluations",
				Map.of("datasetId", other));
		assertThat(evaluation.status()).as(evaluation.body()).isEqualTo(201);
		assertThat(evaluation.json().get("rows")).isEqualTo(150);
		assertThat(evaluation.json().get("rowsSkipped")).isEqualTo(1);
		assertThat(HttpTestClient.<Double>at(evaluation.json(), "metrics", "accuracy")).isGreaterThan(0.9);
		String listed = http.get("/api/v1/models/" + model.get("id") + "/evaluations").body();
		assertThat(listed).contains((String) evaluation.json().get("id"));
	}

	@Test
	void gridSearchRanksTrialsAndSavesTheBestAsAModel() throws Exception {
		String id = upload(exactLinearCsv());
		HttpTestClient.Response r = http.postJson("/api/v1/tuning-jobs",
				Map.of("datasetId", id, "target", "y", "algorithm", "linear_regression", "strategy", "grid", "space",
						Map.of("l2", List.of(10.0, 0.0, 1.0)), "folds", 3, "metric", "r2"));
		assertThat(r.status()).as(r.body()).isEqualTo(202);
		String tuningId = (String) r.json().get("id");
		Map<String, Object> job = http.awaitTuningJob(tuningId, Duration.ofSeconds(60));
		assertThat(job.get("status")).as(String.valueOf(job)).isEqualTo("succeeded");
		List<Map<String, Object>> leaderboard = new tools.jackson.databind.json.JsonMapper()
			.readValue(http.get("/api/v1/tuning-jobs/" + tuningId + "/leaderboard").body(), List.class);
		// exact linear data: no penalty fits best, a heavy one worst
		assertThat(leaderboard.stream().map(t -> ((Map<?, ?>) t.get("hyperparameters")).get("l2")).toList())
			.isEqualTo(List.of(0.0, 1.0, 10.0));
		assertThat(leaderboard).extracting(t -> t.get("rank")).containsExactly(1, 2, 3);
		Map<String, Object> best = http.get("/api/v1/models/" + job.get("bestModelId")).json();
		assertThat(HttpTestClient.<Double>at(best, "hyperparameters", "l2")).isEqualTo(0.0);
		assertThat(HttpTestClient.<Integer>at(best, "metrics", "crossValidation", "folds", 0, "fold")).isEqualTo(1);
	}

	@Test
	void invalidTrainingOptionsListWhatIsAllowed() {
		String id = upload(exactLinearCsv());
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", id, "target", "y", "algorithm", "mlp", "hyperparameters",
						Map.of("optimizer", "lbfgs", "kernel", "rbf", "schedule", Map.of("type", "sawtooth"),
								"earlyStoppingMonitor", "accuracy")));
		assertThat(r.status()).isEqualTo(400);
		List<Map<String, Object>> errors = at(r.json(), "errors");
		assertThat(errors).extracting(e -> e.get("field"))
			.contains("hyperparameters.optimizer", "hyperparameters.kernel", "hyperparameters.schedule.type",
					"hyperparameters.earlyStoppingMonitor");
		assertThat(errors.toString()).contains("constant, step, exponential, cosine, reduce_on_plateau")
			.contains("allowed: validation_loss, r2, mae");

		r = http.postJson("/api/v1/tuning-jobs", Map.of("datasetId", id, "target", "y", "algorithm",
				"linear_regression", "strategy", "grid", "space", Map.of("l2", Map.of("min", 0, "max", 1))));
		assertThat(r.status()).isEqualTo(400);
		assertThat(r.body()).contains("grid search needs a non-empty list of values");
	}

}
