package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;

/** Every documented error answers with an RFC 9457 problem that says what is wrong. */
class ApiErrorsTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.upload.max-size=2KB",
			"--fitserve.training.max-concurrent-jobs=1", "--fitserve.training.queue-capacity=0",
			"--fitserve.upload.max-columns=4", "--fitserve.prediction.max-rows=3");

	static HttpTestClient http;

	/** Four rows, two classes; color is categorical. */
	static final String SMALL_CSV = "x,color,label\n1.0,red,a\n2.0,blue,a\n3.0,red,b\n4.0,blue,b\n5,red,b\n0.5,blue,a\n";

	@BeforeAll
	static void start() {
		http = server.http();
	}

	static String upload(String csv) {
		HttpTestClient.Response r = http.upload("data.csv", csv.getBytes(StandardCharsets.UTF_8), null);
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		return (String) r.json().get("id");
	}

	static void assertProblem(HttpTestClient.Response r, int status, String type) {
		assertThat(r.status()).as(r.body()).isEqualTo(status);
		assertThat(r.contentType()).startsWith("application/problem+json");
		Map<String, Object> body = r.json();
		assertThat(body.get("status")).isEqualTo(status);
		assertThat(body.get("type")).isEqualTo("urn:fitserve:problem:" + type);
		assertThat((String) body.get("title")).isNotBlank();
		assertThat((String) body.get("detail")).isNotBlank();
	}

	@Test
	void unknownIdsAre404() {
		assertProblem(http.get("/api/v1/datasets/00000000-0000-0000-0000-000000000000"), 404, "not-found");
		assertProblem(http.get("/api/v1/datasets/not-a-uuid"), 404, "not-found");
		assertProblem(http.get("/api/v1/models/00000000-0000-0000-0000-000000000000"), 404, "not-found");
		assertProblem(http.get("/api/v1/training-jobs/00000000-0000-0000-0000-000000000000"), 404, "not-found");
		assertProblem(
				http.postJson("/api/v1/training-jobs",
						Map.of("datasetId", "00000000-0000-0000-0000-000000000000", "target", "y", "algorithm", "mlp")),
				404, "not-found");
	}

	@Test
	void raggedCsvRowIsRejectedNamingItsLine() {
		HttpTestClient.Response r = http.upload("bad.csv",
				"a,b,c\n1,2,3\n\"multi\nline\",5,6\n7,8\n".getBytes(StandardCharsets.UTF_8), null);
		assertProblem(r, 400, "validation-error");
		// header is line 1; the quoted field spans lines 3-4, so the short row starts on
		// line 5
		assertThat(HttpTestClient.<Integer>at(r.json(), "errors", 0, "row")).isEqualTo(5);
		assertThat((String) r.json().get("detail")).contains("line 5");
		// by name: a random id or checksum in the listing can hold the letters "bad"
		assertThat(http.get("/api/v1/datasets?size=500").json("items")).extracting(d -> d.get("name"))
			.doesNotContain("bad", "bad.csv");
	}

	@Test
	void tooManyColumnsIs400() {
		HttpTestClient.Response r = http.upload("wide.csv", "a,b,c,d,e\n1,2,3,4,5\n".getBytes(StandardCharsets.UTF_8),
				null);
		assertProblem(r, 400, "validation-error");
		assertThat((String) r.json().get("detail")).contains("too many columns: 5 (limit 4)");
	}

	@Test
	void uploadOverTheSizeLimitIs413() {
		byte[] big = new byte[4096];
		Arrays.fill(big, (byte) '1');
		for (int i = 1; i < big.length; i += 2) {
			big[i] = '\n';
		}
		assertProblem(http.upload("big.csv", big, null), 413, "content-too-large");
	}

	@Test
	void rawUploadOverTheSizeLimitIs413WithOrWithoutContentLength() {
		byte[] big = new byte[4096];
		Arrays.fill(big, (byte) '1');
		for (int i = 1; i < big.length; i += 2) {
			big[i] = '\n';
		}
		HttpTestClient.Response declared = http.uploadRaw(big, "text/csv", "?name=big");
		assertProblem(declared, 413, "content-too-large");
		assertThat((String) declared.json().get("detail")).contains("fitserve.upload.max-size");
		HttpTestClient.Response chunked = http.uploadRawChunked(big, "application/octet-stream", "?name=big");
		assertProblem(chunked, 413, "content-too-large");
		assertThat((String) chunked.json().get("detail")).contains("fitserve.upload.max-size");
		// exactly at the limit is accepted: 2048 bytes, header "1" and 1023 rows of "1"
		HttpTestClient.Response atLimit = http.uploadRawChunked(Arrays.copyOf(big, 2048), "text/csv", "?name=at-limit");
		assertThat(atLimit.status()).as(atLimit.body()).isEqualTo(201);
		assertThat(atLimit.json().get("rows")).isEqualTo(1023);
		assertThat(http.get("/api/v1/datasets?size=500").body()).doesNotContain("\"big\"");
	}

	@Test
	void malformedRawUploadIs400NamingItsLine() {
		byte[] csv = "a,b,c\n1,2,3\n\"multi\nline\",5,6\n7,8\n".getBytes(StandardCharsets.UTF_8);
		for (HttpTestClient.Response r : List.of(http.uploadRaw(csv, "text/csv; charset=utf-8", "?name=bad-raw"),
				http.uploadRawChunked(csv, "text/csv", "?name=bad-raw"))) {
			assertProblem(r, 400, "validation-error");
			assertThat(HttpTestClient.<Integer>at(r.json(), "errors", 0, "row")).isEqualTo(5);
			assertThat((String) r.json().get("detail")).contains("line 5 has 2 cells, expected 3");
		}
		HttpTestClient.Response empty = http.uploadRaw(new byte[0], "text/csv", "?name=bad-raw");
		assertProblem(empty, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(empty.json(), "errors", 0, "field")).isEqualTo("body");
		assertProblem(http.uploadRawChunked(new byte[0], "text/csv", "?name=bad-raw"), 400, "validation-error");
		assertProblem(http.uploadRaw("x\n".getBytes(StandardCharsets.UTF_8), "text/csv", ""), 400, "validation-error");
		assertThat(http.get("/api/v1/datasets?size=500").body()).doesNotContain("bad-raw");
	}

	@Test
	void wrongContentTypeIs415() {
		assertProblem(http.post("/api/v1/datasets", "text/plain", "a,b\n1,2\n"), 415, "unsupported-media-type");
		assertProblem(http.post("/api/v1/training-jobs", "text/plain", "{}"), 415, "unsupported-media-type");
	}

	@Test
	void malformedJsonIs400() {
		assertProblem(http.post("/api/v1/training-jobs", "application/json", "{not json"), 400, "bad-request");
	}

	@Test
	void unknownAlgorithmAndOutOfRangeHyperparametersListWhatIsAllowed() {
		String id = upload(SMALL_CSV);
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", id, "target", "label", "algorithm", "extra_trees"));
		assertProblem(r, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(r.json(), "errors", 0, "field")).isEqualTo("algorithm");
		assertThat(HttpTestClient.<String>at(r.json(), "errors", 0, "message"))
			.contains("linear_regression, logistic_regression, linear_svm, svm, mlp, gradient_boosting, random_forest");

		r = http.postJson("/api/v1/training-jobs", Map.of("datasetId", id, "target", "label", "algorithm",
				"logistic_regression", "hyperparameters", Map.of("learningRate", -1, "epochs", 0, "optimiser", "x")));
		assertProblem(r, 400, "validation-error");
		List<Map<String, Object>> errors = at(r.json(), "errors");
		assertThat(errors).extracting(e -> e.get("field"))
			.containsExactlyInAnyOrder("hyperparameters.optimiser", "hyperparameters.learningRate",
					"hyperparameters.epochs");
		assertThat(errors.toString()).contains("must be > 0 and <= 10").contains("between 1 and 100000");

		r = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", id, "target", "color", "algorithm", "linear_regression"));
		assertProblem(r, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(r.json(), "errors", 0, "message")).contains("numeric target");

		r = http.postJson("/api/v1/training-jobs", Map.of("datasetId", id, "target", "nope", "algorithm", "mlp"));
		assertProblem(r, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(r.json(), "errors", 0, "message")).contains("x, color, label");
	}

	@Test
	void predictionInputErrorsNameRowAndFeature() throws Exception {
		String modelId = trainSmallModel();
		String path = "/api/v1/models/" + modelId + "/predictions";

		HttpTestClient.Response r = http.postJson(path,
				Map.of("rows", List.of(Map.of("x", 1.0, "color", "red"), Map.of("color", "red"))));
		assertProblem(r, 422, "unprocessable-input");
		assertThat(HttpTestClient.<Integer>at(r.json(), "errors", 0, "row")).isEqualTo(1);
		assertThat(HttpTestClient.<String>at(r.json(), "errors", 0, "field")).isEqualTo("x");

		r = http.post(path, "application/json", "{\"rows\": [{\"x\": NaN, \"color\": \"red\"}]}");
		assertProblem(r, 422, "unprocessable-input");
		assertThat(HttpTestClient.<String>at(r.json(), "errors", 0, "message")).contains("finite");

		r = http.postJson(path, Map.of("rows", List.of(Map.of("x", "abc", "color", "red"))));
		assertProblem(r, 422, "unprocessable-input");

		r = http.postJson(path, Map.of("rows", List.of(Map.of("x", 1, "color", "red"), Map.of("x", 1, "color", "red"),
				Map.of("x", 1, "color", "red"), Map.of("x", 1, "color", "red"))));
		assertProblem(r, 400, "validation-error");

		// numeric strings parse like CSV cells; null and unseen categories are imputed,
		// with a warning for the latter
		Map<String, Object> nullColor = new HashMap<>();
		nullColor.put("x", "4.0");
		nullColor.put("color", null);
		r = http.postJson(path, Map.of("rows",
				List.of(Map.of("x", 4.0, "color", "green"), nullColor, Map.of("x", 4.0, "color", "blue"))));
		assertThat(r.status()).as(r.body()).isEqualTo(200);
		assertThat(HttpTestClient.<List<String>>at(r.json(), "warnings"))
			.containsExactly("row 0: 'color' has the unseen category 'green'; treated as missing");
		// "green" and null both impute the training mode of color, so rows 0 and 1 score
		// the same
		assertThat(HttpTestClient.<Object>at(r.json(), "predictions", 0))
			.isEqualTo(HttpTestClient.<Object>at(r.json(), "predictions", 1));
	}

	@Test
	void fullQueueIs429AndCancelIsIdempotentAndFinishedJobsConflict() throws Exception {
		String id = upload(SMALL_CSV);
		Map<String, Object> longSpec = Map.of("datasetId", id, "target", "label", "algorithm", "mlp", "hyperparameters",
				Map.of("epochs", 100000, "batchSize", 1, "earlyStoppingPatience", 0));
		HttpTestClient.Response first = http.postJson("/api/v1/training-jobs", longSpec);
		assertThat(first.status()).isEqualTo(202);
		String jobId = (String) first.json().get("id");
		try {
			long before = http.get("/api/v1/training-jobs?size=500").json().get("totalItems") instanceof Number n
					? n.longValue() : -1;
			HttpTestClient.Response refused = http.postJson("/api/v1/training-jobs", longSpec);
			assertProblem(refused, 429, "too-many-requests");
			assertThat(refused.header("Retry-After")).isEqualTo("10");
			assertThat(((Number) http.get("/api/v1/training-jobs?size=500").json().get("totalItems")).longValue())
				.isEqualTo(before);

			assertProblem(http.delete("/api/v1/datasets/" + id), 409, "conflict");
		}
		finally {
			assertThat(http.postJson("/api/v1/training-jobs/" + jobId + "/cancel", Map.of()).status()).isIn(200, 202);
		}
		Map<String, Object> job = http.awaitJob(jobId, Duration.ofSeconds(60));
		assertThat(job.get("status")).isEqualTo("cancelled");
		HttpTestClient.Response again = http.postJson("/api/v1/training-jobs/" + jobId + "/cancel", Map.of());
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("status")).isEqualTo("cancelled");

		String modelId = trainSmallModel();
		String succeededJob = (String) http.get("/api/v1/models/" + modelId).json().get("trainingJobId");
		assertProblem(http.postJson("/api/v1/training-jobs/" + succeededJob + "/cancel", Map.of()), 409, "conflict");
		assertThat(http.get("/api/v1/training-jobs?status=cancelled").body()).contains(jobId);
		assertProblem(http.get("/api/v1/training-jobs?status=sleeping"), 400, "validation-error");

		assertThat(http.delete("/api/v1/datasets/" + id).status()).isEqualTo(204);
		assertProblem(http.get("/api/v1/datasets/" + id), 404, "not-found");
		// the model keeps working without its dataset
		assertThat(http
			.postJson("/api/v1/models/" + modelId + "/predictions",
					Map.of("rows", List.of(Map.of("x", 1, "color", "red"))))
			.status()).isEqualTo(200);
		assertThat(http.delete("/api/v1/models/" + modelId).status()).isEqualTo(204);
		assertProblem(http.get("/api/v1/models/" + modelId), 404, "not-found");
		// the serving cache forgets a deleted model
		assertProblem(http.postJson("/api/v1/models/" + modelId + "/predictions",
				Map.of("rows", List.of(Map.of("x", 1, "color", "red")))), 404, "not-found");
	}

	@Test
	void openApiDocumentsEveryEndpointWithRequestExamples() {
		Map<String, Object> doc = http.get("/v3/api-docs").json();
		Map<String, Object> paths = at(doc, "paths");
		assertThat(paths).containsKeys("/api/v1/datasets", "/api/v1/datasets/{id}", "/api/v1/datasets/{id}/rows",
				"/api/v1/training-jobs", "/api/v1/training-jobs/{id}", "/api/v1/training-jobs/{id}/history",
				"/api/v1/training-jobs/{id}/cancel", "/api/v1/models", "/api/v1/models/{id}",
				"/api/v1/models/{id}/predictions", "/api/v1/models/{id}/evaluations",
				"/api/v1/models/{id}/feature-importance", "/api/v1/tuning-jobs", "/api/v1/tuning-jobs/{id}",
				"/api/v1/tuning-jobs/{id}/leaderboard", "/api/v1/tuning-jobs/{id}/cancel");
		assertThat(HttpTestClient.<String>at(doc, "components", "schemas", "TuningJobRequest", "example", "strategy"))
			.isEqualTo("random");
		assertThat(
				HttpTestClient.<String>at(doc, "components", "schemas", "TrainingJobRequest", "example", "algorithm"))
			.isEqualTo("logistic_regression");
		assertThat(HttpTestClient.<List<?>>at(doc, "components", "schemas", "PredictionRequest", "example", "rows"))
			.hasSize(2);
		// each algorithm's own hyperparameters (HyperparameterSchemasTest holds every one
		// to
		// its descriptor)
		assertThat(HttpTestClient.<List<String>>at(doc, "components", "schemas", "LogisticRegressionHyperparameters",
				"properties", "optimizer", "enum"))
			.containsExactly("sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad", "lbfgs");
		// the multipart and raw-body uploads share POST /api/v1/datasets: one operation
		// documents both forms
		Map<String, Object> upload = at(doc, "paths", "/api/v1/datasets", "post");
		assertThat(HttpTestClient.<Map<String, Object>>at(upload, "requestBody", "content"))
			.containsOnlyKeys("multipart/form-data", "text/csv", "application/octet-stream");
		assertThat(HttpTestClient.<String>at(upload, "requestBody", "content", "multipart/form-data", "schema", "$ref"))
			.isEqualTo("#/components/schemas/UploadForm");
		assertThat(HttpTestClient.<Map<String, Object>>at(doc, "components", "schemas", "UploadForm", "properties"))
			.containsKeys("file", "name");
		assertThat(HttpTestClient.<String>at(upload, "requestBody", "content", "text/csv", "schema", "format"))
			.isEqualTo("binary");
		assertThat((String) upload.get("description")).contains("-T data.csv", "--data-binary", "multipart/form-data",
				"fitserve.upload.max-size");
		assertThat(HttpTestClient.<Map<String, Object>>at(upload, "responses")).containsKeys("201", "400", "413");
		assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
	}

	private static String trainSmallModel() throws InterruptedException {
		String id = upload(SMALL_CSV);
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs", Map.of("datasetId", id, "target", "label",
				"algorithm", "logistic_regression", "testFraction", 0.0, "validationFraction", 0.0));
		assertThat(r.status()).as(r.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) r.json().get("id"), Duration.ofSeconds(60));
		assertThat(job.get("status")).as(job.toString()).isEqualTo("succeeded");
		return (String) job.get("modelId");
	}

}
