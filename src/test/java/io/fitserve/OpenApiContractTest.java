package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document, read over real HTTP, holds every operation (today's and any added
 * later) to the conventions in the README's "OpenAPI conventions", and the responses the
 * service really sends match the schemas it declares.
 */
class OpenApiContractTest {

	private static final Pattern OPERATION_ID = Pattern.compile("^[a-z][A-Za-z]+$");

	/** springdoc's descriptions for a response nobody described. */
	private static final Set<String> DEFAULT_DESCRIPTIONS = Set.of("OK", "Created", "Accepted", "No Content",
			"default response");

	private static final String PROBLEM_REF = "#/components/schemas/ProblemDetail";

	/**
	 * The KServe Open Inference Protocol V2's error object: its operations answer it, not
	 * problem details.
	 */
	private static final String KSERVE_ERROR_REF = "#/components/schemas/KServeError";

	/** fitserve's own API, whose errors are problem details. */
	private static final String API_PREFIX = "/api/";

	/** The KServe Open Inference Protocol V2, with the protocol's own error shape. */
	private static final String KSERVE_PREFIX = "/v2/";

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	static HttpTestClient http;

	static Map<String, Object> doc;

	@BeforeAll
	static void start() {
		http = server.http();
		HttpTestClient.Response docs = http.withKey(null).get("/v3/api-docs");
		assertThat(docs.status()).as(docs.body()).isEqualTo(200);
		doc = docs.json();
	}

	/** "METHOD path" of every documented operation, with the operation. */
	static Map<String, Map<String, Object>> operations() {
		Map<String, Map<String, Object>> operations = new HashMap<>();
		Map<String, Map<String, Map<String, Object>>> paths = at(doc, "paths");
		paths.forEach((path, methods) -> methods.forEach((method, operation) -> {
			if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
				operations.put(method.toUpperCase() + " " + path, operation);
			}
		}));
		assertThat(operations).hasSizeGreaterThanOrEqualTo(26);
		return operations;
	}

	@Test
	void everyOperationHasAUniqueStableOperationId() {
		Set<String> seen = new HashSet<>();
		operations().forEach((route, operation) -> {
			String id = (String) operation.get("operationId");
			assertThat(id).as("operationId of %s", route).isNotNull().matches(OPERATION_ID).doesNotMatch(".*_\\d+$");
			assertThat(seen.add(id)).as("operationId %s of %s is unique", id, route).isTrue();
		});
	}

	@Test
	void knownOperationsKeepTheirIds() {
		Map<String, Map<String, Object>> operations = operations();
		Map<String, String> expected = Map.ofEntries(Map.entry("POST /api/v1/datasets", "uploadDataset"),
				Map.entry("GET /api/v1/datasets", "listDatasets"), Map.entry("GET /api/v1/datasets/{id}", "getDataset"),
				Map.entry("GET /api/v1/datasets/{id}/rows", "getDatasetRows"),
				Map.entry("DELETE /api/v1/datasets/{id}", "deleteDataset"),
				Map.entry("POST /api/v1/training-jobs", "startTrainingJob"),
				Map.entry("GET /api/v1/training-jobs", "listTrainingJobs"),
				Map.entry("GET /api/v1/training-jobs/{id}", "getTrainingJob"),
				Map.entry("GET /api/v1/training-jobs/{id}/history", "getTrainingJobHistory"),
				Map.entry("POST /api/v1/training-jobs/{id}/cancel", "cancelTrainingJob"),
				Map.entry("POST /api/v1/tuning-jobs", "startTuningJob"),
				Map.entry("POST /api/v1/tuning-jobs/{id}/cancel", "cancelTuningJob"),
				Map.entry("GET /api/v1/models", "listModels"), Map.entry("GET /api/v1/models/{id}", "getModel"),
				Map.entry("DELETE /api/v1/models/{id}", "deleteModel"),
				Map.entry("POST /api/v1/models/{id}/predictions", "predict"),
				Map.entry("POST /api/v1/models/{id}/evaluations", "evaluateModel"),
				Map.entry("POST /api/v1/models/{id}/fairness", "createFairnessReport"),
				Map.entry("GET /api/v1/models/{id}/fairness", "listFairnessReports"),
				Map.entry("GET /api/v1/models/{id}/fairness/{reportId}", "getFairnessReport"),
				Map.entry("POST /api/v1/models/{id}/compressions", "compressModel"),
				Map.entry("GET /api/v1/models/{id}/compressions", "listModelCompressions"),
				Map.entry("GET /api/v1/models/{id}/compressions/{compressionId}", "getModelCompression"),
				Map.entry("POST /api/v1/models/{id}/batch-predictions", "startBatchPrediction"),
				Map.entry("GET /api/v1/batch-predictions", "listBatchPredictions"),
				Map.entry("GET /api/v1/batch-predictions/{id}", "getBatchPrediction"),
				Map.entry("POST /api/v1/batch-predictions/{id}/cancel", "cancelBatchPrediction"),
				Map.entry("GET /api/v1/batch-predictions/{id}/result", "downloadBatchPredictionResult"),
				Map.entry("GET /api/v1/batch-predictions/{id}/events", "streamBatchPredictionEvents"),
				Map.entry("POST /api/v1/api-keys", "createApiKey"),
				Map.entry("GET /api/v1/audit-events", "listAuditEvents"));
		expected.forEach((route,
				id) -> assertThat(operations.get(route)).as(route).isNotNull().containsEntry("operationId", id));
	}

	private static String pathOf(String route) {
		return route.substring(route.indexOf(' ') + 1);
	}

	@Test
	void everyOperationIsEitherTheApiOrKServe() {
		// so that no operation escapes both the problem-response rules and the protocol's
		assertThat(operations().keySet()).allSatisfy(route -> assertThat(pathOf(route)).as(route)
			.matches(path -> path.startsWith(API_PREFIX) || path.startsWith(KSERVE_PREFIX), "under /api/ or /v2/"));
	}

	@Test
	void everyOperationDeclaresItsProblemResponses() {
		Map<String, Map<String, Object>> api = new HashMap<>(operations());
		api.keySet().removeIf(route -> !pathOf(route).startsWith(API_PREFIX));
		assertThat(api).hasSizeGreaterThanOrEqualTo(26);
		api.forEach((route, operation) -> {
			Map<String, Map<String, Object>> responses = at(operation, "responses");
			assertThat(responses).as("responses of %s", route).containsKeys("401", "403", "500");
			if (route.contains("{")) {
				assertThat(responses).as("responses of %s (an id in the path)", route).containsKey("404");
			}
			if (operation.get("requestBody") != null) {
				assertThat(responses).as("responses of %s (a body)", route).containsKeys("400", "415");
			}
			responses.forEach((code, response) -> {
				if (code.startsWith("4") || code.startsWith("5")) {
					assertThat(HttpTestClient.<Map<String, Object>>at(response, "content")).as("%s %s", route, code)
						.containsOnlyKeys("application/problem+json");
					assertThat(HttpTestClient.<String>at(response, "content", "application/problem+json", "schema",
							"$ref"))
						.as("%s %s", route, code)
						.isEqualTo(PROBLEM_REF);
				}
				assertThat((String) response.get("description")).as("description of %s %s", route, code).isNotBlank();
			});
		});
		assertThat(HttpTestClient.<List<String>>at(doc, "components", "schemas", "ProblemDetail", "required"))
			.containsExactlyInAnyOrder("type", "title", "status", "detail");
	}

	@Test
	void kserveOperationsDeclareTheProtocolsErrors() {
		Map<String, Map<String, Object>> kserve = new HashMap<>(operations());
		kserve.keySet().removeIf(route -> !pathOf(route).startsWith(KSERVE_PREFIX));
		assertThat(kserve).containsKeys("GET /v2/health/live", "GET /v2/health/ready", "GET /v2/models/{name}",
				"POST /v2/models/{name}/infer", "POST /v2/models/{name}/versions/{version}/infer");
		Set<String> openHealth = Set.of("GET /v2/health/live", "GET /v2/health/ready");
		kserve.forEach((route, operation) -> {
			Map<String, Map<String, Object>> responses = at(operation, "responses");
			assertThat(responses).as("responses of %s", route).containsKey("500");
			if (openHealth.contains(route)) {
				// open to anyone, like /actuator/health: no key, so neither 401 nor 403
				assertThat((List<?>) operation.get("security")).as("security of %s", route).isEmpty();
				assertThat(responses).as("responses of %s", route).doesNotContainKeys("401", "403").containsKey("503");
			}
			else {
				assertThat(operation.get("security")).as("security of %s", route).isNull();
				assertThat(responses).as("responses of %s", route).containsKeys("401", "403");
			}
			if (route.contains("{")) {
				assertThat(responses).as("responses of %s (an id in the path)", route).containsKey("404");
			}
			if (operation.get("requestBody") != null) {
				assertThat(responses).as("responses of %s (a body)", route).containsKey("400");
			}
			responses.forEach((code, response) -> {
				assertThat((String) response.get("description")).as("description of %s %s", route, code).isNotBlank();
				if (code.startsWith("4") || code.equals("500")) {
					assertThat(HttpTestClient.<Map<String, Object>>at(response, "content")).as("%s %s", route, code)
						.containsOnlyKeys("application/json");
					assertThat(HttpTestClient.<String>at(response, "content", "application/json", "schema", "$ref"))
						.as("%s %s", route, code)
						.isEqualTo(KSERVE_ERROR_REF);
				}
			});
		});
		assertThat(HttpTestClient.<Map<String, Object>>at(doc, "components", "schemas", "KServeError", "properties"))
			.containsOnlyKeys("error");
	}

	@Test
	void everyOperationDescribesItsSuccessAndItsSchema() {
		Map<String, Map<String, Object>> schemas = at(doc, "components", "schemas");
		operations().forEach((route, operation) -> {
			assertThat((String) operation.get("summary")).as("summary of %s", route).isNotBlank();
			Map<String, Map<String, Object>> responses = at(operation, "responses");
			List<String> successes = responses.keySet().stream().filter(code -> code.startsWith("2")).toList();
			assertThat(successes).as("2xx responses of %s", route).isNotEmpty();
			for (String code : successes) {
				Map<String, Object> response = responses.get(code);
				assertThat((String) response.get("description")).as("description of %s %s", route, code)
					.isNotIn(DEFAULT_DESCRIPTIONS);
				if (code.equals("204")) {
					continue;
				}
				Map<String, Map<String, Object>> content = at(response, "content");
				assertThat(content).as("content of %s %s", route, code).isNotEmpty().doesNotContainKey("*/*");
				content.forEach((mediaType, media) -> {
					Map<String, Object> schema = at(media, "schema");
					assertThat(schema).as("schema of %s %s %s", route, code, mediaType).isNotNull();
					if (!mediaType.endsWith("json") && "string".equals(schema.get("type"))
							&& "binary".equals(schema.get("format"))) {
						return; // a file download (the ONNX export): bytes, no JSON
								// object to name
					}
					if (mediaType.equals("text/event-stream") && "string".equals(schema.get("type"))) {
						// a server-sent event stream: text lines, described where they
						// are declared
						assertThat((String) schema.get("description")).as("%s %s event stream", route, code)
							.isNotBlank();
						return;
					}
					Map<String, Object> named = "array".equals(schema.get("type")) ? at(schema, "items") : schema;
					String ref = (String) named.get("$ref");
					assertThat(ref).as("%s %s answers a named schema, not a free-form object", route, code).isNotNull();
					Map<String, Object> component = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
					assertThat((String) component.get("description")).as("description of %s", ref).isNotBlank();
				});
			}
		});
	}

	@Test
	void everyReferenceResolves() {
		Map<String, Object> schemas = at(doc, "components", "schemas");
		List<String> refs = new ArrayList<>();
		collectRefs(doc, refs);
		assertThat(refs).isNotEmpty().allSatisfy(ref -> {
			assertThat(ref).startsWith("#/components/schemas/");
			assertThat(schemas).containsKey(ref.substring("#/components/schemas/".length()));
		});
	}

	@Test
	void theUploadDeclaresNameAndMaskOnceAsFormFields() {
		Map<String, Object> upload = at(doc, "paths", "/api/v1/datasets", "post");
		List<Map<String, Object>> parameters = upload.get("parameters") == null ? List.of() : at(upload, "parameters");
		assertThat(parameters).extracting(p -> p.get("name")).doesNotContain("name", "mask");
		assertThat(HttpTestClient.<String>at(upload, "requestBody", "content", "multipart/form-data", "schema", "$ref"))
			.isEqualTo("#/components/schemas/UploadForm");
		assertThat(HttpTestClient.<Map<String, Object>>at(doc, "components", "schemas", "UploadForm", "properties"))
			.containsOnlyKeys("file", "name", "mask");
	}

	@Test
	void nameSentAsQueryAndFormFieldIsTakenOnce() {
		byte[] csv = "x,label\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8);
		// what Swagger UI sent before the OpenAPI declared name once: both, with the same
		// value
		HttpTestClient.Response both = http.upload("data.csv", csv, "iris", "?name=iris");
		assertThat(both.status()).as(both.body()).isEqualTo(201);
		assertThat(both.json().get("name")).isEqualTo("iris");
		assertThat(http.upload("data.csv", csv, "iris", "").json().get("name")).isEqualTo("iris");
		assertThat(http.upload("data.csv", csv, null, "?name=iris").json().get("name")).isEqualTo("iris");
		assertThat(http.upload("data.csv", csv, null, "").json().get("name")).isEqualTo("data");
		assertThat(http.uploadRaw(csv, "text/csv", "?name=raw&name=raw").json().get("name")).isEqualTo("raw");
		// one name with a comma stays one name
		assertThat(http.upload("data.csv", csv, "a,b", "?name=a,b").json().get("name")).isEqualTo("a,b");
		assertThat(http.uploadRaw(csv, "text/csv", "?name=a,b").json().get("name")).isEqualTo("a,b");

		HttpTestClient.Response different = http.upload("iris.csv", csv, "iris", "?name=setosa");
		ApiErrorsTest.assertProblem(different, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(different.json(), "errors", 0, "field")).isEqualTo("name");
		assertThat(HttpTestClient.<String>at(different.json(), "errors", 0, "message")).contains("iris", "setosa");
	}

	@Test
	void realResponsesMatchTheirDeclaredSchemas() throws InterruptedException {
		StringBuilder classes = new StringBuilder("x,color,label\n");
		StringBuilder numbers = new StringBuilder("x,z,y\n");
		for (int i = 0; i < 40; i++) {
			classes.append(i % 10)
				.append(',')
				.append(i % 3 == 0 ? "red" : "blue")
				.append(',')
				.append(i % 10 < 5 ? "a" : "b")
				.append('\n');
			numbers.append(i).append(',').append(i % 7).append(',').append(2.0 * i + i % 7).append('\n');
		}
		HttpTestClient.Response classUpload = http.upload("classes.csv",
				classes.toString().getBytes(StandardCharsets.UTF_8), null);
		assertConforms(classUpload, "uploadDataset");
		String classData = (String) classUpload.json().get("id");
		String numberData = (String) http
			.upload("numbers.csv", numbers.toString().getBytes(StandardCharsets.UTF_8), null)
			.json()
			.get("id");

		// a classifier with cross-validation, and a regressor with a validation split:
		// every shape metrics take
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs", Map.of("datasetId", classData,
				"target", "label", "algorithm", "logistic_regression", "crossValidation", Map.of("folds", 3)));
		assertConforms(submitted, "startTrainingJob");
		String classifier = awaitModel((String) submitted.json().get("id"));
		String regressor = awaitModel((String) http
			.postJson("/api/v1/training-jobs",
					Map.of("datasetId", numberData, "target", "y", "algorithm", "linear_regression",
							"validationFraction", 0.2))
			.json()
			.get("id"));

		for (String model : List.of(classifier, regressor)) {
			HttpTestClient.Response response = http.get("/api/v1/models/" + model);
			assertConforms(response, "getModel");
			Map<String, Object> body = response.json();
			assertThat(HttpTestClient.<Map<String, Object>>at(body, "metrics", "test")).isNotEmpty();
			assertThat(HttpTestClient.<Map<String, Object>>at(body, "provenance", "trainingSpec")).isNotEmpty();
			assertConforms(http.get("/api/v1/models/" + model + "/feature-importance"), "getFeatureImportance");
		}
		assertThat(HttpTestClient.<List<Object>>at(http.get("/api/v1/models/" + classifier).json(), "metrics",
				"crossValidation", "folds"))
			.hasSize(3);
		assertConforms(http.postJson("/api/v1/models/" + classifier + "/evaluations", Map.of("datasetId", classData)),
				"evaluateModel");
		assertConforms(http.get("/api/v1/models/" + classifier + "/evaluations"), "listModelEvaluations");
		HttpTestClient.Response fairness = http.postJson("/api/v1/models/" + classifier + "/fairness",
				Map.of("datasetId", classData, "sensitiveFeature", "color"));
		assertConforms(fairness, "createFairnessReport");
		assertConforms(http.get("/api/v1/models/" + classifier + "/fairness"), "listFairnessReports");
		assertConforms(http.get("/api/v1/models/" + classifier + "/fairness/" + fairness.json().get("id")),
				"getFairnessReport");
		assertConforms(http.postJson("/api/v1/models/" + regressor + "/fairness",
				Map.of("datasetId", numberData, "sensitiveFeature", "z")), "createFairnessReport");
		assertConforms(http.postJson("/api/v1/models/" + classifier + "/fairness",
				Map.of("datasetId", classData, "sensitiveFeature", "no_such_column")), "createFairnessReport");
		HttpTestClient.Response compression = http.postJson("/api/v1/models/" + classifier + "/compressions",
				Map.of("precision", "int8"));
		assertConforms(compression, "compressModel");
		assertConforms(http.get("/api/v1/models/" + classifier + "/compressions"), "listModelCompressions");
		assertConforms(http.get("/api/v1/models/" + classifier + "/compressions/" + compression.json().get("id")),
				"getModelCompression");
		assertConforms(http.postJson("/api/v1/models/" + compression.json().get("compressedModelId") + "/compressions",
				Map.of("precision", "float16")), "compressModel");
		assertConforms(http.postJson("/api/v1/models/" + classifier + "/compressions", Map.of("precision", "int4")),
				"compressModel");
		assertConforms(http.postJson("/api/v1/models/" + classifier + "/predictions",
				Map.of("rows", List.of(Map.of("x", 1, "color", "red")), "explain", true)), "predict");
		assertConforms(http.get("/api/v1/training-jobs?size=5"), "listTrainingJobs");
		HttpTestClient.Response batch = http.postJson("/api/v1/models/" + classifier + "/batch-predictions",
				Map.of("datasetId", classData));
		assertConforms(batch, "startBatchPrediction");
		assertConforms(http.get("/api/v1/batch-predictions/" + batch.json().get("id")), "getBatchPrediction");
		assertConforms(http.get("/api/v1/batch-predictions?size=5"), "listBatchPredictions");
		assertConforms(http.get("/api/v1/datasets/" + classData + "/rows?limit=2"), "getDatasetRows");
		assertConforms(http.get("/api/v1/models"), "listModels");

		// the model registry, and the protocols that serve registered models
		HttpTestClient.Response registered = http.postJson("/api/v1/registered-models",
				Map.of("name", "contract-classes", "description", "classes"));
		assertConforms(registered, "createRegisteredModel");
		String registry = "/api/v1/registered-models/contract-classes";
		assertConforms(http.postJson(registry + "/versions", Map.of("modelId", classifier)), "createModelVersion");
		assertConforms(http.request("PUT", registry + "/aliases/champion", "{\"version\": 1}"), "setModelAlias");
		assertConforms(http.get("/api/v1/registered-models"), "listRegisteredModels");
		assertConforms(http.get(registry), "getRegisteredModel");
		assertConforms(http.get(registry + "/versions"), "listModelVersions");
		assertConforms(http.get(registry + "/versions/1"), "getModelVersion");
		assertConforms(http.get(registry + "/aliases/champion"), "getModelAlias");
		assertConforms(http.get(registry + "/aliases/champion/history"), "getModelAliasHistory");
		assertConforms(http.get(registry + "/versions/9"), "getModelVersion");
		Map<String, Object> rows = Map.of("rows", List.of(Map.of("x", 1, "color", "red")), "explain", true);
		assertConforms(http.postJson(registry + "/aliases/champion/predictions", rows), "predictWithAlias");
		assertConforms(http.postJson(registry + "/versions/1/predictions", rows), "predictWithVersion");
		assertConforms(http.postJson(registry + "/invocations",
				Map.of("dataframe_records", List.of(Map.of("x", 1, "color", "red")))), "mlflowInvocations");
		assertConforms(http.withKey(null).get("/v2/health/live"), "kserveServerLive");
		assertConforms(http.withKey(null).get("/v2/health/ready"), "kserveServerReady");
		assertConforms(http.get("/v2/models/contract-classes"), "kserveModelMetadata");
		assertConforms(http.get("/v2/models/contract-classes/versions/1"), "kserveModelVersionMetadata");
		assertConforms(http.get("/v2/models/contract-classes/ready"), "kserveModelReady");
		assertConforms(http.get("/v2/models/contract-classes/versions/1/ready"), "kserveModelVersionReady");
		Map<String, Object> inference = Map.of("id", "7", "inputs",
				List.of(Map.of("name", "x", "shape", List.of(1), "datatype", "FP64", "data", List.of(1.0)),
						Map.of("name", "color", "shape", List.of(1), "datatype", "BYTES", "data", List.of("red"))));
		HttpTestClient.Response inferred = http.postJson("/v2/models/contract-classes/infer", inference);
		assertConforms(inferred, "kserveInfer");
		assertThat(HttpTestClient.<List<Object>>at(inferred.json(), "outputs")).isNotEmpty();
		assertConforms(http.postJson("/v2/models/contract-classes/versions/1/infer", inference), "kserveVersionInfer");
		assertConforms(http.postJson("/v2/models/contract-classes/infer", Map.of("inputs", List.of())), "kserveInfer");
		assertConforms(http.get("/v2/models/no-such-model"), "kserveModelMetadata");
		assertConforms(http.withKey(null).get("/v2/models/contract-classes"), "kserveModelMetadata");

		// problems too: one with errors, one without
		HttpTestClient.Response invalid = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", classData, "target", "label", "algorithm", "no_such_algorithm"));
		assertConforms(invalid, "startTrainingJob");
		assertThat(HttpTestClient.<List<Object>>at(invalid.json(), "errors")).isNotEmpty();
		assertConforms(http.get("/api/v1/models/00000000-0000-0000-0000-000000000000"), "getModel");
	}

	private static String awaitModel(String jobId) throws InterruptedException {
		Map<String, Object> job = http.awaitJob(jobId, Duration.ofSeconds(90));
		assertThat(job.get("status")).as(job.toString()).isEqualTo("succeeded");
		return (String) job.get("modelId");
	}

	/**
	 * The response's body has no property that the schema the operation declares for its
	 * status lacks.
	 */
	private static void assertConforms(HttpTestClient.Response response, String operationId) {
		Map<String, Object> operation = operations().values()
			.stream()
			.filter(op -> operationId.equals(op.get("operationId")))
			.findFirst()
			.orElseThrow();
		String status = Integer.toString(response.status());
		Map<String, Object> declared = at(operation, "responses", status);
		assertThat(declared).as("%s declares %s (%s)", operationId, status, response.body()).isNotNull();
		Map<String, Object> content = at(declared, "content");
		String mediaType = response.contentType().split(";")[0];
		Map<String, Object> schema = at(content, mediaType, "schema");
		assertThat(schema).as("%s %s declares %s", operationId, status, mediaType).isNotNull();
		Object body = tools.jackson.databind.json.JsonMapper.builder().build().readValue(response.body(), Object.class);
		List<String> problems = new ArrayList<>();
		conforms(body, schema, operationId + " " + status, problems);
		assertThat(problems).as("%s: %s", operationId, response.body()).isEmpty();
	}

	/**
	 * A structural check (property names, through $ref, oneOf, anyOf, arrays and maps),
	 * enough to catch drift.
	 */
	@SuppressWarnings("unchecked")
	private static boolean conforms(Object value, Map<String, Object> schema, String where, List<String> problems) {
		if (value == null) {
			return true;
		}
		if (schema.get("$ref") instanceof String ref) {
			Map<String, Object> target = at(doc, "components", "schemas", ref.substring(ref.lastIndexOf('/') + 1));
			return conforms(value, target, where, problems);
		}
		// oneOf and anyOf alike: at least one alternative fits (e.g. a model's
		// hyperparameters: those of one algorithm)
		Object choice = schema.get("oneOf") != null ? schema.get("oneOf") : schema.get("anyOf");
		if (choice instanceof List<?> alternatives) {
			for (Object alternative : alternatives) {
				if (conforms(value, (Map<String, Object>) alternative, where, new ArrayList<>())) {
					return true;
				}
			}
			problems.add(where + ": matches none of " + alternatives);
			return false;
		}
		boolean ok = true;
		if (value instanceof Map<?, ?> object) {
			Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schema.get("properties");
			Object additional = schema.get("additionalProperties");
			for (Map.Entry<?, ?> entry : object.entrySet()) {
				String key = (String) entry.getKey();
				Map<String, Object> property = properties == null ? null : properties.get(key);
				if (property != null) {
					ok &= conforms(entry.getValue(), property, where + "." + key, problems);
				}
				else if (additional instanceof Map<?, ?> valueSchema) {
					ok &= conforms(entry.getValue(), (Map<String, Object>) valueSchema, where + "." + key, problems);
				}
				else if (properties != null || Boolean.FALSE.equals(additional)) {
					problems.add(where + "." + key + " is not declared");
					ok = false;
				}
			}
		}
		else if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
			for (int i = 0; i < list.size(); i++) {
				ok &= conforms(list.get(i), (Map<String, Object>) items, where + "[" + i + "]", problems);
			}
		}
		return ok;
	}

	@SuppressWarnings("unchecked")
	private static void collectRefs(Object node, List<String> refs) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> {
				if ("$ref".equals(key) && value instanceof String ref) {
					refs.add(ref);
				}
				else {
					collectRefs(value, refs);
				}
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach(item -> collectRefs(item, refs));
		}
	}

}
