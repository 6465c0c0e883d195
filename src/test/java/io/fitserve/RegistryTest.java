package io.fitserve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.io.ClassPathResource;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model registry, the KServe V2 protocol and MLflow's scoring protocol over real
 * HTTP, with models trained on iris in the test: version numbering, alias moves switching
 * traffic and their history, the refusal to delete a registered model's trained model,
 * and every protocol's answer compared with the native predictions of the same rows.
 */
class RegistryTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	static HttpTestClient http;

	/** logistic_regression with scikit-learn's defaults (C 1). */
	static String modelA;

	/** logistic_regression with C 0.01: the same classes, flatter probabilities. */
	static String modelB;

	/**
	 * linear_regression of petal_width on the other columns, species (categorical) among
	 * them.
	 */
	static String regressor;

	static final List<Map<String, Object>> ROWS = List.of(
			Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2),
			Map.of("sepal_length", 6.7, "sepal_width", 3.0, "petal_length", 5.2, "petal_width", 2.3),
			Map.of("sepal_length", 5.9, "sepal_width", 3.0, "petal_length", 4.2, "petal_width", 1.5));

	static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

	static final List<String> CLASSES = List.of("setosa", "versicolor", "virginica");

	@BeforeAll
	static void start() throws Exception {
		http = server.http();
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		String dataset = (String) http.upload("iris.csv", iris, null).json().get("id");
		String jobA = submit(Map.of("datasetId", dataset, "target", "species", "algorithm", "logistic_regression"));
		String jobB = submit(Map.of("datasetId", dataset, "target", "species", "algorithm", "logistic_regression",
				"hyperparameters", Map.of("C", 0.01)));
		String jobR = submit(Map.of("datasetId", dataset, "target", "petal_width", "algorithm", "linear_regression"));
		modelA = trained(jobA);
		modelB = trained(jobB);
		regressor = trained(jobR);
	}

	static String submit(Map<String, Object> spec) {
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs", spec);
		assertThat(r.status()).as(r.body()).isEqualTo(202);
		return (String) r.json().get("id");
	}

	static String trained(String job) throws InterruptedException {
		Map<String, Object> done = http.awaitJob(job, Duration.ofMinutes(3));
		assertThat(done.get("status")).as("job %s", done).isEqualTo("succeeded");
		return (String) done.get("modelId");
	}

	static void assertProblem(HttpTestClient.Response r, int status, String type) {
		assertThat(r.status()).as(r.body()).isEqualTo(status);
		assertThat(r.contentType()).startsWith("application/problem+json");
		assertThat(r.json().get("type")).isEqualTo("urn:fitserve:problem:" + type);
		assertThat(r.json().get("status")).isEqualTo(status);
	}

	static void assertKServeError(HttpTestClient.Response r, int status, String containing) {
		assertThat(r.status()).as(r.body()).isEqualTo(status);
		assertThat(r.contentType()).startsWith("application/json");
		assertThat(r.json()).containsOnlyKeys("error");
		assertThat((String) r.json().get("error")).contains(containing);
	}

	static void register(String name, String... modelIds) {
		HttpTestClient.Response created = http.postJson("/api/v1/registered-models",
				Map.of("name", name, "description", "iris species"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		for (String modelId : modelIds) {
			HttpTestClient.Response version = http.postJson("/api/v1/registered-models/" + name + "/versions",
					Map.of("modelId", modelId));
			assertThat(version.status()).as(version.body()).isEqualTo(201);
		}
	}

	static HttpTestClient.Response setAlias(HttpTestClient client, String name, String alias, int version) {
		return client.request("PUT", "/api/v1/registered-models/" + name + "/aliases/" + alias,
				"{\"version\": " + version + "}");
	}

	/** The native answer: POST /api/v1/models/{id}/predictions. */
	static List<Map<String, Object>> nativePredictions(String modelId, List<Map<String, Object>> rows) {
		HttpTestClient.Response r = http.postJson("/api/v1/models/" + modelId + "/predictions", Map.of("rows", rows));
		assertThat(r.status()).as(r.body()).isEqualTo(200);
		return r.json("predictions");
	}

	static List<Object> nativeLabels(String modelId) {
		return nativePredictions(modelId, ROWS).stream().map(p -> p.get("label")).toList();
	}

	String createKey(String name, String role) {
		HttpTestClient.Response created = http.postJson("/api/v1/api-keys", Map.of("name", name, "role", role));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return (String) created.json().get("secret");
	}

	@Test
	void versionsAreNumberedFromOneAndNamesAreUniqueSlugs() {
		HttpTestClient.Response created = http.postJson("/api/v1/registered-models",
				Map.of("name", "churn-model", "description", "who leaves"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.header("Location")).isEqualTo("/api/v1/registered-models/churn-model");
		assertThat(created.json()).containsEntry("name", "churn-model")
			.containsEntry("description", "who leaves")
			.containsEntry("latestVersion", null)
			.containsEntry("aliases", Map.of());

		HttpTestClient.Response duplicate = http.postJson("/api/v1/registered-models", Map.of("name", "churn-model"));
		assertProblem(duplicate, 409, "conflict");
		assertThat((String) duplicate.json().get("detail")).contains("'churn-model' already exists");
		HttpTestClient.Response notSlug = http.postJson("/api/v1/registered-models", Map.of("name", "Churn Model"));
		assertProblem(notSlug, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(notSlug.json(), "errors", 0, "field")).isEqualTo("name");
		assertProblem(http.postJson("/api/v1/registered-models", Map.of("description", "no name")), 400,
				"validation-error");

		HttpTestClient.Response v1 = http.postJson("/api/v1/registered-models/churn-model/versions",
				Map.of("modelId", modelA));
		assertThat(v1.status()).as(v1.body()).isEqualTo(201);
		assertThat(v1.header("Location")).isEqualTo("/api/v1/registered-models/churn-model/versions/1");
		assertThat(v1.json()).containsEntry("version", 1).containsEntry("modelId", modelA);
		assertThat(HttpTestClient.<String>at(v1.json(), "createdBy", "keyId")).isEqualTo("environment");
		// the same trained model may be registered again; numbers keep counting
		assertThat(http.postJson("/api/v1/registered-models/churn-model/versions", Map.of("modelId", modelB)).json())
			.containsEntry("version", 2)
			.containsEntry("modelId", modelB);
		assertThat(http.postJson("/api/v1/registered-models/churn-model/versions", Map.of("modelId", modelA)).json())
			.containsEntry("version", 3);

		HttpTestClient.Response missingModel = http.postJson("/api/v1/registered-models/churn-model/versions",
				Map.of("modelId", "00000000-0000-0000-0000-000000000000"));
		assertProblem(missingModel, 404, "not-found");
		assertThat((String) missingModel.json().get("detail")).contains("00000000-0000-0000-0000-000000000000");
		assertProblem(http.postJson("/api/v1/registered-models/churn-model/versions", Map.of("modelId", "x")), 400,
				"validation-error");
		HttpTestClient.Response missingName = http.postJson("/api/v1/registered-models/no-such-model/versions",
				Map.of("modelId", modelA));
		assertProblem(missingName, 404, "not-found");
		assertThat((String) missingName.json().get("detail")).isEqualTo("No registered model named 'no-such-model'.");

		List<Map<String, Object>> versions = http.get("/api/v1/registered-models/churn-model/versions").json("items");
		assertThat(versions).extracting(v -> v.get("version")).containsExactly(3, 2, 1);
		assertThat(versions).extracting(v -> v.get("modelId")).containsExactly(modelA, modelB, modelA);
		Map<String, Object> page = http.get("/api/v1/registered-models/churn-model/versions?page=1&size=2").json();
		assertThat(page).containsEntry("totalItems", 3).containsEntry("totalPages", 2);
		assertThat(HttpTestClient.<Integer>at(page, "items", 0, "version")).isEqualTo(1);
		assertThat(http.get("/api/v1/registered-models/churn-model/versions/2").json()).containsEntry("modelId",
				modelB);
		HttpTestClient.Response noVersion = http.get("/api/v1/registered-models/churn-model/versions/4");
		assertProblem(noVersion, 404, "not-found");
		assertThat((String) noVersion.json().get("detail")).contains("versions 1 to 3");
		assertProblem(http.get("/api/v1/registered-models/churn-model/versions/one"), 404, "not-found");
		assertProblem(http.get("/api/v1/registered-models/no-such-model"), 404, "not-found");

		assertThat(http.get("/api/v1/registered-models/churn-model").json()).containsEntry("latestVersion", 3);
		List<Map<String, Object>> listed = http.get("/api/v1/registered-models?size=500").json("items");
		assertThat(listed).extracting(m -> m.get("name")).contains("churn-model");
		assertProblem(http.get("/api/v1/registered-models?size=0"), 400, "validation-error");
	}

	@Test
	void concurrentVersionCreationsGetDistinctConsecutiveNumbers() throws Exception {
		register("raced", modelA);
		int parallel = 6;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
		try {
			java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
			List<java.util.concurrent.Future<HttpTestClient.Response>> created = new ArrayList<>();
			for (int i = 0; i < parallel; i++) {
				String model = i % 2 == 0 ? modelA : modelB;
				created.add(pool.submit(() -> {
					go.await();
					return http.postJson("/api/v1/registered-models/raced/versions", Map.of("modelId", model));
				}));
			}
			go.countDown();
			Map<Object, Object> modelByVersion = new java.util.HashMap<>();
			for (int i = 0; i < parallel; i++) {
				HttpTestClient.Response r = created.get(i).get(2, java.util.concurrent.TimeUnit.MINUTES);
				assertThat(r.status()).as(r.body()).isEqualTo(201);
				assertThat(r.json().get("modelId")).isEqualTo(i % 2 == 0 ? modelA : modelB);
				modelByVersion.put(r.json().get("version"), r.json().get("modelId"));
			}
			assertThat(modelByVersion).containsOnlyKeys(2, 3, 4, 5, 6, 7);
			// each number points at the model its own request named
			for (Map<String, Object> v : http.get("/api/v1/registered-models/raced/versions?size=10").json("items")) {
				assertThat(v.get("modelId"))
					.isEqualTo(v.get("version").equals(1) ? modelA : modelByVersion.get(v.get("version")));
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(http.get("/api/v1/registered-models/raced").json()).containsEntry("latestVersion", 7);
	}

	@Test
	void movingTheChampionSwitchesPredictionsAtOnceAndIsRecorded() {
		register("iris-species", modelA, modelB);
		String trainerKey = createKey("registry trainer", "trainer");
		HttpTestClient trainer = http.withKey(trainerKey);
		HttpTestClient predictor = http.withKey(createKey("registry predictor", "predictor"));
		List<Map<String, Object>> a = nativePredictions(modelA, ROWS);
		List<Map<String, Object>> b = nativePredictions(modelB, ROWS);
		// the two models must disagree for the switch to show (C 0.01 flattens the
		// probabilities)
		assertThat(b).isNotEqualTo(a);
		String aliasPath = "/api/v1/registered-models/iris-species/aliases/champion";
		Map<String, Object> body = Map.of("rows", ROWS);

		assertProblem(predictor.postJson(aliasPath + "/predictions", body), 404, "not-found");
		HttpTestClient.Response set = setAlias(trainer, "iris-species", "champion", 1);
		assertThat(set.status()).as(set.body()).isEqualTo(200);
		assertThat(set.json()).containsEntry("alias", "champion")
			.containsEntry("version", 1)
			.containsEntry("modelId", modelA);
		HttpTestClient.Response first = predictor.postJson(aliasPath + "/predictions", body);
		assertThat(first.status()).as(first.body()).isEqualTo(200);
		assertThat(first.json("predictions")).isEqualTo(a);
		assertThat(first.json().get("modelId")).isEqualTo(modelA);
		assertThat(first.header("Fitserve-Model-Version")).isEqualTo("1");
		assertThat(first.header("Server-Timing")).matches("predict;dur=\\d+\\.\\d{3}");

		// a predictor key serves but does not move aliases
		assertProblem(setAlias(predictor, "iris-species", "champion", 2), 403, "forbidden");
		assertThat(setAlias(trainer, "iris-species", "champion", 2).status()).isEqualTo(200);
		HttpTestClient.Response second = predictor.postJson(aliasPath + "/predictions", body);
		assertThat(second.json("predictions")).isEqualTo(b);
		assertThat(second.header("Fitserve-Model-Version")).isEqualTo("2");
		assertThat(predictor.postJson("/api/v1/registered-models/iris-species/versions/1/predictions", body)
			.json("predictions")).isEqualTo(a);
		assertThat(predictor.get(aliasPath).json()).containsEntry("version", 2).containsEntry("modelId", modelB);
		assertThat(http.get("/api/v1/registered-models/iris-species").json().get("aliases"))
			.isEqualTo(Map.of("champion", 2));
		assertThat(http.get("/api/v1/registered-models/iris-species/versions/2").json().get("aliases"))
			.isEqualTo(List.of("champion"));

		// setting it where it already is changes nothing and records nothing
		assertThat(setAlias(http, "iris-species", "champion", 2).status()).isEqualTo(200);
		assertProblem(setAlias(http, "iris-species", "champion", 3), 404, "not-found");
		assertProblem(setAlias(http, "iris-species", "Champion!", 1), 400, "validation-error");
		assertProblem(http.request("PUT", aliasPath, "{}"), 400, "validation-error");

		assertThat(http.delete(aliasPath).status()).isEqualTo(204);
		assertProblem(http.get(aliasPath), 404, "not-found");
		assertProblem(predictor.postJson(aliasPath + "/predictions", body), 404, "not-found");
		assertProblem(http.delete(aliasPath), 404, "not-found");

		List<Map<String, Object>> history = predictor.get(aliasPath + "/history").json("items");
		assertThat(history).extracting(e -> e.get("fromVersion")).containsExactly(2, 1, null);
		assertThat(history).extracting(e -> e.get("toVersion")).containsExactly(null, 2, 1);
		assertThat(history).extracting(e -> e.get("sequence")).containsExactly(3, 2, 1);
		String trainerKeyId = trainerKey.substring(4, 36);
		assertThat(history.subList(1, 3)).allSatisfy(e -> {
			assertThat(HttpTestClient.<String>at(e, "movedBy", "keyName")).isEqualTo("registry trainer");
			assertThat(HttpTestClient.<String>at(e, "movedBy", "keyId").replace("-", "")).isEqualTo(trainerKeyId);
		});
		assertThat(history.get(0).get("movedBy"))
			.isEqualTo(Map.of("keyId", "environment", "keyName", "FITSERVE_ADMIN_KEY"));
		assertThat(java.time.Instant.parse((String) history.get(0).get("movedAt")))
			.isAfterOrEqualTo(java.time.Instant.parse((String) history.get(1).get("movedAt")));
		assertProblem(http.get("/api/v1/registered-models/iris-species/aliases/never/history"), 404, "not-found");

		// alias moves are audited like every other change, under the registered model's
		// name
		List<Map<String, Object>> audited = http.get("/api/v1/audit-events?action=model-alias.set").json("items");
		assertThat(audited).anySatisfy(e -> {
			assertThat(e.get("resourceId")).isEqualTo("iris-species/aliases/champion");
			assertThat(e.get("keyName")).isEqualTo("registry trainer");
		});
		assertThat(http.get("/api/v1/audit-events?action=model-version.create").json("items"))
			.extracting(e -> e.get("resourceId"))
			.contains("iris-species/versions/2");
	}

	@Test
	void aTrainedModelARegisteredVersionPointsAtIsNotDeleted() throws Exception {
		String dataset = (String) http.upload("tiny.csv", "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n".getBytes(), null)
			.json()
			.get("id");
		String model = trained(submit(Map.of("datasetId", dataset, "target", "y", "algorithm", "linear_regression")));
		register("doubler", model);
		HttpTestClient.Response refused = http.delete("/api/v1/models/" + model);
		assertProblem(refused, 409, "conflict");
		assertThat((String) refused.json().get("detail")).contains("version 1 of registered model 'doubler'");
		assertThat(http
			.postJson("/api/v1/registered-models/doubler/versions/1/predictions",
					Map.of("rows", List.of(Map.of("x", 6))))
			.json("predictions")).singleElement()
			.satisfies(p -> assertThat((Double) p.get("value")).isCloseTo(12.0,
					org.assertj.core.api.Assertions.within(1e-6)));
	}

	@Test
	void kserveV2InferenceAnswersAsTheNativePredictions() {
		register("iris-kserve", modelA, modelB);
		// the V2 spec's example request, with this model's inputs: one tensor per
		// feature, an id, an output selection
		String specExample = """
				{
				  "id" : "42",
				  "inputs" : [
				    { "name" : "sepal_length", "shape" : [ 3 ], "datatype" : "FP32", "data" : [ 5.1, 6.7, 5.9 ] },
				    { "name" : "sepal_width", "shape" : [ 3 ], "datatype" : "FP32", "data" : [ 3.5, 3.0, 3.0 ] },
				    { "name" : "petal_length", "shape" : [ 3, 1 ], "datatype" : "FP64", "data" : [ [1.4], [5.2], [4.2] ] },
				    { "name" : "petal_width", "shape" : [ 3 ], "datatype" : "FP64", "data" : [ 0.2, 2.3, 1.5 ] }
				  ],
				  "outputs" : [ { "name" : "label" } ]
				}
				""";
		// no champion yet: the latest version (2, model B) answers
		HttpTestClient.Response latest = http.postJson("/v2/models/iris-kserve/infer", specExample);
		assertThat(latest.status()).as(latest.body()).isEqualTo(200);
		Map<String, Object> answer = latest.json();
		assertThat(answer).containsEntry("model_name", "iris-kserve")
			.containsEntry("model_version", "2")
			.containsEntry("id", "42");
		assertThat(HttpTestClient.<List<Object>>at(answer, "outputs")).hasSize(1);
		assertThat(HttpTestClient.<Map<String, Object>>at(answer, "outputs", 0)).containsEntry("name", "label")
			.containsEntry("datatype", "BYTES")
			.containsEntry("shape", List.of(3))
			.containsEntry("data", nativeLabels(modelB));

		assertThat(setAlias(http, "iris-kserve", "champion", 1).status()).isEqualTo(200);
		// all outputs, the features as one [n, d] FP64 tensor in the metadata's order
		String matrix = """
				{"inputs": [{"name": "input-0", "shape": [3, 4], "datatype": "FP64",
				             "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]}]}
				""";
		Map<String, Object> champion = http.postJson("/v2/models/iris-kserve/infer", matrix).json();
		assertThat(champion).containsEntry("model_version", "1").doesNotContainKey("id");
		List<Map<String, Object>> a = nativePredictions(modelA, ROWS);
		assertThat(HttpTestClient.<List<Object>>at(champion, "outputs", 0, "data"))
			.isEqualTo(a.stream().map(p -> p.get("label")).toList());
		Map<String, Object> probabilities = at(champion, "outputs", 1);
		assertThat(probabilities).containsEntry("name", "probabilities")
			.containsEntry("datatype", "FP64")
			.containsEntry("shape", List.of(3, 3));
		List<Object> expected = new ArrayList<>();
		for (Map<String, Object> p : a) {
			for (String label : CLASSES) {
				expected.add(HttpTestClient.<Double>at(p, "probabilities", label));
			}
		}
		assertThat(probabilities.get("data")).isEqualTo(expected);
		// a version in the path wins over the champion
		Map<String, Object> v2 = http.postJson("/v2/models/iris-kserve/versions/2/infer", matrix).json();
		assertThat(HttpTestClient.<List<Object>>at(v2, "outputs", 1, "data")).isNotEqualTo(expected);
		assertThat(v2).containsEntry("model_version", "2");

		// a regressor: value, with a BYTES tensor for the categorical feature and an INT
		// tensor for a number
		register("petal-width", regressor);
		String regression = """
				{"inputs": [
				  {"name": "sepal_length", "shape": [2], "datatype": "INT32", "data": [5, 7]},
				  {"name": "sepal_width", "shape": [2], "datatype": "FP64", "data": [3.5, 3.0]},
				  {"name": "petal_length", "shape": [2], "datatype": "FP64", "data": [1.4, 5.2]},
				  {"name": "species", "shape": [2], "datatype": "BYTES", "data": ["setosa", "virginica"]}]}
				""";
		Map<String, Object> value = http.postJson("/v2/models/petal-width/infer", regression).json();
		List<Map<String, Object>> regressionRows = List.of(
				Map.of("sepal_length", 5, "sepal_width", 3.5, "petal_length", 1.4, "species", "setosa"),
				Map.of("sepal_length", 7, "sepal_width", 3.0, "petal_length", 5.2, "species", "virginica"));
		assertThat(HttpTestClient.<Map<String, Object>>at(value, "outputs", 0)).containsEntry("name", "value")
			.containsEntry("datatype", "FP64")
			.containsEntry("shape", List.of(2))
			.containsEntry("data",
					nativePredictions(regressor, regressionRows).stream().map(p -> p.get("value")).toList());

		// metadata and readiness
		Map<String, Object> metadata = http.get("/v2/models/iris-kserve").json();
		assertThat(metadata).containsEntry("name", "iris-kserve")
			.containsEntry("versions", List.of("1", "2"))
			.containsEntry("platform", "fitserve_logistic_regression");
		assertThat(HttpTestClient.<List<Map<String, Object>>>at(metadata, "inputs"))
			.extracting(t -> t.get("name"), t -> t.get("datatype"), t -> t.get("shape"))
			.containsExactly(FEATURES.stream()
				.map(f -> org.assertj.core.groups.Tuple.tuple(f, "FP64", List.of(-1)))
				.toArray(org.assertj.core.groups.Tuple[]::new));
		assertThat(HttpTestClient.<Map<String, Object>>at(metadata, "outputs", 1))
			.containsEntry("shape", List.of(-1, 3))
			.containsEntry("parameters", Map.of("labels", CLASSES));
		assertThat(HttpTestClient.<String>at(http.get("/v2/models/petal-width/versions/1").json(), "inputs", 3,
				"datatype"))
			.isEqualTo("BYTES");
		assertThat(http.get("/v2/models/iris-kserve/ready").json())
			.isEqualTo(Map.of("name", "iris-kserve", "ready", true));
		assertThat(http.get("/v2/models/iris-kserve/versions/2/ready").status()).isEqualTo(200);

		// the protocol's errors: {"error": "..."} with a 4xx
		assertKServeError(http.postJson("/v2/models/no-such-model/infer", matrix), 404, "no-such-model");
		assertKServeError(http.get("/v2/models/iris-kserve/versions/9"), 404, "no version '9'");
		assertKServeError(http.get("/v2/models/iris-kserve/versions/9/ready"), 404, "no version '9'");
		assertKServeError(
				http.postJson("/v2/models/iris-kserve/infer", specExample.replace("[ 0.2, 2.3, 1.5 ]", "[ 0.2, 2.3 ]")),
				400, "petal_width");
		assertKServeError(
				http.postJson("/v2/models/iris-kserve/infer",
						specExample.replace("\"name\" : \"label\"", "\"name\" : \"output0\"")),
				400, "unknown output 'output0'");
		assertKServeError(http.postJson("/v2/models/iris-kserve/infer", specExample.replace("\"FP32\"", "\"BYTES\"")),
				400, "not a BYTES value");
		assertKServeError(http.postJson("/v2/models/iris-kserve/infer", "{\"inputs\": ["), 400, "not valid JSON");
		assertKServeError(http.postJson("/v2/models/iris-kserve/infer", "{\"inputs\": []}"), 400, "inputs");
		// a category the model never saw in a numeric feature: the prediction rules' 422
		// is the protocol's 400
		assertKServeError(http.postJson("/v2/models/iris-kserve/infer",
				specExample.replace("[ 5.1, 6.7, 5.9 ]", "[ 5.1, null, 5.9 ]")
					.replace("\"FP32\", \"data\" : [ 3.5", "\"BYTES\", \"data\" : [ \"x\"")
					.replace("3.0, 3.0 ]", "\"3.0\", \"3.0\" ]")),
				400, "sepal_width");

		// health is open; model endpoints need a key, and say so in the protocol's shape
		HttpTestClient anonymous = http.withKey(null);
		assertThat(anonymous.get("/v2/health/live").json()).isEqualTo(Map.of("live", true));
		assertThat(anonymous.get("/v2/health/ready").json()).isEqualTo(Map.of("ready", true));
		HttpTestClient.Response noKey = anonymous.postJson("/v2/models/iris-kserve/infer", matrix);
		assertKServeError(noKey, 401, "API key");
		assertThat(noKey.header("WWW-Authenticate")).startsWith("Bearer");
		assertKServeError(anonymous.get("/v2/models/iris-kserve"), 401, "API key");
	}

	@Test
	void mlflowInvocationsAnswerAsTheNativePredictions() {
		register("iris-mlflow", modelA);
		String path = "/api/v1/registered-models/iris-mlflow/invocations";
		Map<String, Object> expected = Map.of("predictions", nativeLabels(modelA));
		// the bodies of MLflow's "Deploy MLflow Model as a Local Inference Server" page,
		// with this model's columns
		String split = """
				{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"],
				  "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]}}
				""";
		String records = """
				{"dataframe_records": [
				  {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
				  {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.2, "petal_width": 2.3},
				  {"sepal_length": 5.9, "sepal_width": 3.0, "petal_length": 4.2, "petal_width": 1.5}]}
				""";
		String instances = """
				{"instances": [
				  {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
				  {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.2, "petal_width": 2.3},
				  {"sepal_length": 5.9, "sepal_width": 3.0, "petal_length": 4.2, "petal_width": 1.5}]}
				""";
		String columnar = """
				{"inputs": {"sepal_length": [5.1, 6.7, 5.9], "sepal_width": [3.5, 3.0, 3.0],
				            "petal_length": [1.4, 5.2, 4.2], "petal_width": [0.2, 2.3, 1.5]}}
				""";
		String positional = """
				{"inputs": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]}
				""";
		for (String body : List.of(split, records, instances, columnar, positional)) {
			HttpTestClient.Response r = http.postJson(path, body);
			assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(200);
			assertThat(r.json()).as(body).isEqualTo(expected);
		}
		String csv = "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n5.9,3.0,4.2,1.5\n";
		HttpTestClient.Response fromCsv = http.withKey(createKey("mlflow predictor", "predictor"))
			.post(path, "text/csv", csv);
		assertThat(fromCsv.status()).as(fromCsv.body()).isEqualTo(200);
		assertThat(fromCsv.json()).isEqualTo(expected);

		// a regressor answers numbers
		register("petal-width-mlflow", regressor);
		List<Map<String, Object>> rows = List
			.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "species", "setosa"));
		HttpTestClient.Response value = http.postJson("/api/v1/registered-models/petal-width-mlflow/invocations",
				Map.of("dataframe_records", rows));
		assertThat(value.json())
			.isEqualTo(Map.of("predictions", List.of(nativePredictions(regressor, rows).get(0).get("value"))));

		HttpTestClient.Response two = http.postJson(path, "{\"inputs\": [], \"instances\": []}");
		assertProblem(two, 400, "validation-error");
		assertThat((String) two.json().get("detail")).contains("exactly one of the fields");
		assertProblem(http.postJson(path, "{\"columns\": [\"a\"], \"data\": [[1]]}"), 400, "validation-error");
		assertProblem(http.postJson(path, "{\"inputs\": [[5.1, 3.5]]}"), 400, "validation-error");
		assertProblem(http.postJson(path, "{\"dataframe_records\": [{\"sepal_length\": 5.1}]}"), 422,
				"unprocessable-input");
		assertProblem(http.postJson("/api/v1/registered-models/nobody/invocations", positional), 404, "not-found");
	}

}
