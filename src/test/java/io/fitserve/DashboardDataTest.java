package io.fitserve;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fitserve.EventStream.Event;
import tools.jackson.databind.json.JsonMapper;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data the web dashboard reads, over real HTTP with real training: the algorithm
 * catalogue, column histograms, regression residuals, tuning trial events.
 */
class DashboardDataTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	static HttpTestClient http;

	/** 20 rows: two numeric features, a two-class label and a numeric target. */
	static final String SMALL_CSV;

	static {
		StringBuilder csv = new StringBuilder("x1,x2,label,y\n");
		for (int i = 0; i < 20; i++) {
			csv.append(i)
				.append(',')
				.append((i * 7) % 5)
				.append(',')
				.append(i < 10 ? "a" : "b")
				.append(',')
				.append(3 * i - (i * 7) % 5)
				.append('\n');
		}
		SMALL_CSV = csv.toString();
	}

	@BeforeAll
	static void start() {
		http = server.http();
	}

	static String upload(String csv) {
		HttpTestClient.Response r = http.upload("data.csv", csv.getBytes(StandardCharsets.UTF_8), null);
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		return (String) r.json().get("id");
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> algorithms() {
		HttpTestClient.Response r = http.get("/api/v1/algorithms");
		assertThat(r.status()).as(r.body()).isEqualTo(200);
		assertThat(r.contentType()).startsWith("application/json");
		return JSON.readValue(r.body(), List.class);
	}

	@Test
	void algorithmCatalogueListsEachAlgorithmWithItsHyperparameters() {
		List<Map<String, Object>> algorithms = algorithms();
		assertThat(algorithms).extracting(a -> a.get("name"))
			.containsExactly("linear_regression", "logistic_regression", "linear_svm", "svm", "mlp",
					"gradient_boosting", "random_forest", "kmeans");
		assertThat(algorithms).extracting(a -> a.get("tasks"))
			.containsExactly(List.of("regression"), List.of("classification"), List.of("classification"),
					List.of("classification"), List.of("classification", "regression"),
					List.of("classification", "regression"), List.of("classification", "regression"),
					List.of("clustering"));

		Map<String, Object> logistic = algorithms.get(1);
		Map<String, Object> optimizer = hyperparameter(logistic, "optimizer");
		assertThat(optimizer.keySet()).containsExactly("name", "type", "values", "default", "minimum", "maximum",
				"description");
		assertThat(optimizer).containsEntry("type", "string")
			.containsEntry("default", "lbfgs")
			.containsEntry("minimum", null)
			.containsEntry("maximum", null)
			.containsEntry("values", List.of("sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad", "lbfgs"));
		Map<String, Object> learningRate = hyperparameter(logistic, "learningRate");
		assertThat(learningRate).containsEntry("type", "number")
			.containsEntry("values", null)
			.containsEntry("default", 0.01)
			.containsEntry("minimum", 0.0)
			.containsEntry("maximum", 10.0);
		assertThat(hyperparameter(logistic, "epochs")).containsEntry("type", "integer")
			.containsEntry("default", 500)
			.containsEntry("minimum", 1.0)
			.containsEntry("maximum", 100000.0);
		assertThat(names(logistic)).doesNotContain("hiddenLayers", "kernel", "solver", "loss");

		Map<String, Object> mlp = algorithms.get(4);
		assertThat(hyperparameter(mlp, "hiddenLayers")).containsEntry("type", "integer_list")
			.containsEntry("default", List.of(100));
		assertThat(hyperparameter(mlp, "batchNorm")).containsEntry("type", "boolean").containsEntry("default", false);
		assertThat((List<String>) hyperparameter(mlp, "optimizer").get("values")).doesNotContain("lbfgs");
		Map<String, Object> schedule = hyperparameter(mlp, "schedule");
		assertThat(schedule).containsEntry("type", "schedule").containsEntry("default", Map.of("type", "constant"));
		List<Map<String, Object>> fields = at(schedule, "fields");
		assertThat(fields).extracting(f -> f.get("name"))
			.containsExactly("type", "stepSize", "gamma", "warmupEpochs", "patience", "factor");
		assertThat(fields.get(0)).containsEntry("values",
				List.of("constant", "step", "exponential", "cosine", "reduce_on_plateau"));
		assertThat(fields.get(1)).containsEntry("type", "integer").containsEntry("default", 10);

		Map<String, Object> svm = algorithms.get(3);
		assertThat(names(svm)).containsExactly("C", "classWeights", "resample", "resampleRatio", "smoteNeighbors",
				"kernel", "gamma", "degree", "coef0", "probabilities");
		assertThat(hyperparameter(svm, "kernel")).containsEntry("default", "rbf")
			.containsEntry("values", List.of("linear", "rbf", "poly"));
	}

	@Test
	void catalogueSchemaIsDocumented() {
		Map<String, Object> doc = http.withKey(null).get("/v3/api-docs").json();
		assertThat(HttpTestClient.<String>at(doc, "paths", "/api/v1/algorithms", "get", "operationId"))
			.isEqualTo("listAlgorithms");
		Map<String, Object> parameter = at(doc, "components", "schemas", "AlgorithmHyperparameter", "properties");
		assertThat(parameter.keySet()).containsExactlyInAnyOrder("name", "type", "values", "default", "minimum",
				"maximum", "description", "fields");
		assertThat(parameter.values()).allSatisfy(p -> assertThat(at(p, "description") == null
				? HttpTestClient.<Object>at(p, "items", "description") : at(p, "description"))
			.isNotNull());
	}

	/**
	 * Every default the catalogue gives is what a job without hyperparameters gets, and
	 * is accepted when sent.
	 */
	@Test
	void catalogueDefaultsAreAcceptedAndAppliedByRealTrainingJobs() throws Exception {
		String datasetId = upload(SMALL_CSV);
		List<String> jobs = new ArrayList<>();
		for (Map<String, Object> algorithm : algorithms()) {
			String name = (String) algorithm.get("name");
			Map<String, Object> defaults = new LinkedHashMap<>();
			for (Map<String, Object> h : hyperparameters(algorithm)) {
				if (h.get("default") != null) {
					defaults.put((String) h.get("name"), h.get("default"));
				}
			}
			Map<String, Object> request = new LinkedHashMap<>();
			request.put("datasetId", datasetId);
			// clustering has no target
			if (!name.equals("kmeans")) {
				request.put("target", name.equals("linear_regression") ? "y" : "label");
			}
			request.put("features", List.of("x1", "x2"));
			request.put("algorithm", name);

			HttpTestClient.Response bare = http.postJson("/api/v1/training-jobs", request);
			assertThat(bare.status()).as(name + ": " + bare.body()).isEqualTo(202);
			Map<String, Object> applied = at(bare.json(), "spec", "hyperparameters");
			assertThat(applied).as(name + ": what a job without hyperparameters gets").isEqualTo(defaults);
			jobs.add((String) bare.json().get("id"));

			request.put("hyperparameters", defaults);
			HttpTestClient.Response explicit = http.postJson("/api/v1/training-jobs", request);
			assertThat(explicit.status()).as(name + ": " + explicit.body()).isEqualTo(202);
			assertThat(HttpTestClient.<Object>at(explicit.json(), "spec", "hyperparameters")).isEqualTo(defaults);
			jobs.add((String) explicit.json().get("id"));
		}
		for (String job : jobs) {
			Map<String, Object> done = http.awaitJob(job, Duration.ofMinutes(5));
			assertThat(done.get("status")).as("job %s", done).isEqualTo("succeeded");
		}
	}

	/**
	 * A hyperparameter the catalogue leaves out for an algorithm is refused with the
	 * usual 400.
	 */
	@Test
	void hyperparametersNotListedForAnAlgorithmAreRefused() {
		String datasetId = upload(SMALL_CSV);
		List<Map<String, Object>> algorithms = algorithms();
		Set<String> every = new TreeSet<>();
		algorithms.forEach(a -> every.addAll(names(a)));
		assertThat(every).contains("optimizer", "hiddenLayers", "kernel", "solver", "loss", "C");
		for (Map<String, Object> algorithm : algorithms) {
			String name = (String) algorithm.get("name");
			Map<String, Object> unlisted = new LinkedHashMap<>();
			every.stream().filter(n -> !names(algorithm).contains(n)).forEach(n -> unlisted.put(n, 1));
			assertThat(unlisted).as(name).isNotEmpty();
			HttpTestClient.Response refused = http.postJson("/api/v1/training-jobs",
					Map.of("datasetId", datasetId, "target", name.equals("linear_regression") ? "y" : "label",
							"algorithm", name, "hyperparameters", unlisted));
			ApiErrorsTest.assertProblem(refused, 400, "validation-error");
			List<Map<String, Object>> errors = refused.json("errors");
			for (String key : unlisted.keySet()) {
				assertThat(errors).as(name + " " + key)
					.anySatisfy(e -> assertThat(e.get("field")).isEqualTo("hyperparameters." + key));
			}
		}
	}

	@Test
	void numericColumnProfilesCarryAHistogram() {
		// x: 0..9 once each, plus a missing cell; 10 distinct values, so 10 bins of width
		// 0.9 with one value each y: 1, 1, 1, 2, 10 and six missing; 3 distinct values,
		// so bins [1, 4), [4, 7), [7, 10]
		String csv = "x,y,color\n3,1,red\n0,1,blue\n9,1,red\n1,2,red\n8,10,blue\n2,,red\n7,,red\n4,,red\n"
				+ "6,,blue\n5,,red\n,,blue\n";
		String id = upload(csv);
		HttpTestClient.Response r = http.get("/api/v1/datasets/" + id);
		assertThat(r.status()).as(r.body()).isEqualTo(200);
		Map<String, Object> dataset = r.json();
		Map<String, Object> x = at(dataset, "columns", 0, "profile", "histogram");
		assertThat(x.keySet()).containsExactly("edges", "counts");
		assertThat(HttpTestClient.<List<Integer>>at(x, "counts")).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
		List<Double> edges = at(x, "edges");
		assertThat(edges).hasSize(11);
		for (int i = 0; i <= 10; i++) {
			assertThat(edges.get(i)).isCloseTo(0.9 * i, org.assertj.core.api.Assertions.within(1e-12));
		}
		assertThat(HttpTestClient.<Object>at(dataset, "columns", 1, "profile", "histogram"))
			.isEqualTo(Map.of("edges", List.of(1.0, 4.0, 7.0, 10.0), "counts", List.of(4, 0, 1)));
		assertThat(HttpTestClient.<Map<String, Object>>at(dataset, "columns", 2, "profile")).containsEntry("histogram",
				null);
		// the upload's answer holds the same profiles as a later read
		assertThat(http.get("/api/v1/datasets/" + id).json().get("columns")).isEqualTo(dataset.get("columns"));
	}

	static String train(Map<String, Object> request) throws InterruptedException {
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs", request);
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) submitted.json().get("id"), Duration.ofMinutes(5));
		assertThat(job.get("status")).as("job %s", job).isEqualTo("succeeded");
		return (String) job.get("modelId");
	}

	/** x = 0 .. n-1 and y = 2x + 1 exactly. */
	static String linearCsv(int n) {
		StringBuilder csv = new StringBuilder("x,y\n");
		for (int x = 0; x < n; x++) {
			csv.append(x).append(',').append(2 * x + 1).append('\n');
		}
		return csv.toString();
	}

	@Test
	void regressionModelsKeepTheirTestSplitPredictions() throws Exception {
		String datasetId = upload(linearCsv(50));
		String modelId = train(Map.of("datasetId", datasetId, "target", "y", "algorithm", "linear_regression"));
		HttpTestClient.Response r = http.get("/api/v1/models/" + modelId + "/residuals");
		assertThat(r.status()).as(r.body()).isEqualTo(200);
		Map<String, Object> residuals = r.json();
		assertThat(residuals.keySet()).containsExactly("split", "rows", "points");
		assertThat(residuals.get("split")).isEqualTo("test");
		// the default testFraction 0.2 of 50 rows
		assertThat(residuals.get("rows")).isEqualTo(10);
		Map<String, Object> model = http.get("/api/v1/models/" + modelId).json();
		assertThat(HttpTestClient.<Integer>at(model, "provenance", "rows", "test")).isEqualTo(10);
		List<Map<String, Double>> points = at(residuals, "points");
		assertThat(points).hasSize(10);
		double previous = Double.NEGATIVE_INFINITY;
		for (Map<String, Double> point : points) {
			double actual = point.get("actual");
			// an odd integer 2x + 1 for x in 0..49, fitted exactly by the normal
			// equations
			assertThat(actual).isBetween(1.0, 99.0);
			assertThat((actual - 1) / 2).isEqualTo(Math.rint((actual - 1) / 2));
			assertThat(point.get("predicted")).isCloseTo(actual, org.assertj.core.api.Assertions.within(1e-6));
			assertThat(actual).isGreaterThan(previous);
			previous = actual;
		}

		// a predictor key may read them, as it may read the model
		String predictorKey = (String) http
			.postJson("/api/v1/api-keys", Map.of("name", "dashboard reader", "role", "predictor"))
			.json()
			.get("secret");
		assertThat(http.withKey(predictorKey).get("/api/v1/models/" + modelId + "/residuals").body())
			.isEqualTo(r.body());

		// without a test split, the validation split
		String validationModel = train(Map.of("datasetId", datasetId, "target", "y", "algorithm", "linear_regression",
				"testFraction", 0.0, "validationFraction", 0.2));
		Map<String, Object> onValidation = http.get("/api/v1/models/" + validationModel + "/residuals").json();
		assertThat(onValidation.get("split")).isEqualTo("validation");
		assertThat(onValidation.get("rows")).isEqualTo(10);
		assertThat(HttpTestClient.<List<?>>at(onValidation, "points")).hasSize(10);

		// no held-out rows at all: nothing to show
		String noHeldOut = train(
				Map.of("datasetId", datasetId, "target", "y", "algorithm", "linear_regression", "testFraction", 0.0));
		HttpTestClient.Response none = http.get("/api/v1/models/" + noHeldOut + "/residuals");
		ApiErrorsTest.assertProblem(none, 409, "no-residuals");
		assertThat((String) none.json().get("detail")).contains(noHeldOut).contains("no held-out rows");

		ApiErrorsTest.assertProblem(http.get("/api/v1/models/00000000-0000-0000-0000-000000000000/residuals"), 404,
				"not-found");
	}

	@Test
	void largeTestSplitsKeepASeededSampleOfAThousandPoints() throws Exception {
		String datasetId = upload(linearCsv(6000));
		Map<String, Object> request = Map.of("datasetId", datasetId, "target", "y", "algorithm", "linear_regression");
		String modelId = train(request);
		Map<String, Object> residuals = http.get("/api/v1/models/" + modelId + "/residuals").json();
		assertThat(residuals.get("rows")).isEqualTo(1200);
		List<Map<String, Double>> points = at(residuals, "points");
		assertThat(points).hasSize(1000);
		assertThat(points).allSatisfy(p -> assertThat(p.get("predicted")).isCloseTo(p.get("actual"),
				org.assertj.core.api.Assertions.within(1e-6)));
		assertThat(points).extracting(p -> p.get("actual")).isSorted().doesNotHaveDuplicates();
		// the same job trains the same model and keeps the same sample
		assertThat(http.get("/api/v1/models/" + train(request) + "/residuals").json()).isEqualTo(residuals);
	}

	@Test
	void classifiersHaveNoResiduals() throws Exception {
		String modelId = train(Map.of("datasetId", upload(SMALL_CSV), "target", "label", "features",
				List.of("x1", "x2"), "algorithm", "logistic_regression"));
		HttpTestClient.Response r = http.get("/api/v1/models/" + modelId + "/residuals");
		ApiErrorsTest.assertProblem(r, 409, "not-a-regression-model");
		assertThat((String) r.json().get("detail")).contains(modelId)
			.contains("classification")
			.contains("regression models only");
	}

	/**
	 * Opens a job's event stream and reads its named events until the server ends it
	 * (comments left out).
	 */
	@SuppressWarnings("unchecked")
	static List<Event> events(String path) throws Exception {
		HttpResponse<InputStream> response = EventStream.open(server.port(), path);
		assertThat(response.statusCode()).isEqualTo(200);
		return EventStream.readNamed(response);
	}

	@Test
	@SuppressWarnings("unchecked")
	void tuningEventStreamsSendEachFinishedTrial() throws Exception {
		String datasetId = upload(linearCsv(50));
		HttpTestClient.Response submitted = http.postJson("/api/v1/tuning-jobs",
				Map.of("datasetId", datasetId, "target", "y", "algorithm", "linear_regression", "strategy", "grid",
						"folds", 2, "hyperparameters", Map.of("optimizer", "sgd"), "space",
						Map.of("learningRate", List.of(0.01, 10.0))));
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		String id = (String) submitted.json().get("id");
		List<Event> live = events("/api/v1/tuning-jobs/" + id + "/events");

		List<Event> trials = live.stream().filter(e -> e.name().equals("trial")).toList();
		assertThat(trials).as("%s", live).extracting(e -> e.data().get("trial")).containsExactly(1, 2);
		assertThat(trials.get(0).data().keySet()).containsExactly("trial", "status", "score", "hyperparameters");
		assertThat(trials.get(0).data()).containsEntry("status", "succeeded")
			.containsEntry("hyperparameters", Map.of("learningRate", 0.01));
		assertThat(trials.get(1).data()).containsEntry("status", "succeeded")
			.containsEntry("hyperparameters", Map.of("learningRate", 10.0));
		// each score is the trial's cross-validated score, as the leaderboard has it
		List<Map<String, Object>> leaderboard = JSON
			.readValue(http.get("/api/v1/tuning-jobs/" + id + "/leaderboard").body(), List.class);
		for (Event trial : trials) {
			Map<String, Object> row = leaderboard.stream()
				.filter(t -> t.get("trial").equals(trial.data().get("trial")))
				.findFirst()
				.orElseThrow();
			assertThat(trial.data().get("score")).isNotNull().isEqualTo(row.get("score"));
		}
		// a trial is sent no later than the first progress that counts it (the same poll
		// reads both)
		for (Event trial : trials) {
			int n = (Integer) trial.data().get("trial");
			assertThat(live.subList(0, live.indexOf(trial))).as("events before trial %d", n)
				.noneMatch(e -> e.name().equals("progress") && (Integer) e.data().get("trial") >= n);
		}
		Event last = live.get(live.size() - 1);
		assertThat(last.name()).isEqualTo("status");
		assertThat(last.data().get("status")).isEqualTo("succeeded");
		assertThat(live.indexOf(trials.get(1))).isLessThan(live.size() - 1);

		// a client that connects after the end gets every finished trial first, then the
		// final progress and status
		List<Event> late = events("/api/v1/tuning-jobs/" + id + "/events");
		assertThat(late).extracting(Event::name).containsExactly("trial", "trial", "progress", "status");
		assertThat(late.subList(0, 2)).extracting(Event::data).isEqualTo(trials.stream().map(Event::data).toList());
	}

	static List<Map<String, Object>> hyperparameters(Map<String, Object> algorithm) {
		return at(algorithm, "hyperparameters");
	}

	static List<String> names(Map<String, Object> algorithm) {
		return hyperparameters(algorithm).stream().map(h -> (String) h.get("name")).toList();
	}

	static Map<String, Object> hyperparameter(Map<String, Object> algorithm, String name) {
		return hyperparameters(algorithm).stream()
			.filter(h -> h.get("name").equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError(algorithm.get("name") + " does not list " + name));
	}

}
