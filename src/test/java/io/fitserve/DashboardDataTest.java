package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.json.JsonMapper;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data the web dashboard reads, over real HTTP with real training: the algorithm catalogue, column histograms.
 */
class DashboardDataTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path dataDir;

	static ConfigurableApplicationContext app;

	static HttpTestClient http;

	/** 20 rows: two numeric features, a two-class label and a numeric target. */
	static final String SMALL_CSV;

	static {
		StringBuilder csv = new StringBuilder("x1,x2,label,y\n");
		for (int i = 0; i < 20; i++) {
			csv.append(i).append(',').append((i * 7) % 5).append(',').append(i < 10 ? "a" : "b").append(',')
				.append(3 * i - (i * 7) % 5).append('\n');
		}
		SMALL_CSV = csv.toString();
	}

	@BeforeAll
	static void start(TestInfo info) {
		Class<?> testClass = info.getTestClass().orElseThrow();
		app = new SpringApplicationBuilder(FitserveApplication.class).run(TestDatabase.with(testClass, testClass,
				"--server.port=0", "--fitserve.storage.data-dir=" + dataDir.toAbsolutePath()));
		http = new HttpTestClient(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
	}

	@AfterAll
	static void stop() {
		app.close();
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
			.containsExactly("linear_regression", "logistic_regression", "linear_svm", "svm", "mlp");
		assertThat(algorithms).extracting(a -> a.get("tasks"))
			.containsExactly(List.of("regression"), List.of("classification"), List.of("classification"),
					List.of("classification"), List.of("classification", "regression"));

		Map<String, Object> logistic = algorithms.get(1);
		Map<String, Object> optimizer = hyperparameter(logistic, "optimizer");
		assertThat(optimizer.keySet()).containsExactly("name", "type", "values", "default", "minimum", "maximum",
				"description");
		assertThat(optimizer).containsEntry("type", "string").containsEntry("default", "lbfgs")
			.containsEntry("minimum", null).containsEntry("maximum", null)
			.containsEntry("values", List.of("sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad", "lbfgs"));
		Map<String, Object> learningRate = hyperparameter(logistic, "learningRate");
		assertThat(learningRate).containsEntry("type", "number").containsEntry("values", null)
			.containsEntry("default", 0.01).containsEntry("minimum", 0.0).containsEntry("maximum", 10.0);
		assertThat(hyperparameter(logistic, "epochs")).containsEntry("type", "integer").containsEntry("default", 500)
			.containsEntry("minimum", 1.0).containsEntry("maximum", 100000.0);
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
		assertThat(names(svm)).containsExactly("C", "classWeights", "kernel", "gamma", "degree", "coef0",
				"probabilities");
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
				? HttpTestClient.<Object>at(p, "items", "description") : at(p, "description")).isNotNull());
	}

	/** Every default the catalogue gives is what a job without hyperparameters gets, and is accepted when sent. */
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
			request.put("target", name.equals("linear_regression") ? "y" : "label");
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

	/** A hyperparameter the catalogue leaves out for an algorithm is refused with the usual 400. */
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
		// x: 0..9 once each, plus a missing cell; 10 distinct values, so 10 bins of width 0.9 with one value each
		// y: 1, 1, 1, 2, 10 and six missing; 3 distinct values, so bins [1, 4), [4, 7), [7, 10]
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

	static List<Map<String, Object>> hyperparameters(Map<String, Object> algorithm) {
		return at(algorithm, "hyperparameters");
	}

	static List<String> names(Map<String, Object> algorithm) {
		return hyperparameters(algorithm).stream().map(h -> (String) h.get("name")).toList();
	}

	static Map<String, Object> hyperparameter(Map<String, Object> algorithm, String name) {
		return hyperparameters(algorithm).stream().filter(h -> h.get("name").equals(name)).findFirst()
			.orElseThrow(() -> new AssertionError(algorithm.get("name") + " does not list " + name));
	}

}
