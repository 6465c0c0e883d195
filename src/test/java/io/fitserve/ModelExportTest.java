package io.fitserve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/v1/models/{id}/export?format=onnx over real HTTP: every exportable algorithm
 * is trained on a seeded dataset with numeric, categorical and boolean features and
 * missing values, downloaded, loaded in ONNX Runtime and run on held-out raw rows
 * (missing values, an unseen category, odd boolean spellings); its labels must equal the
 * predictions endpoint's exactly and its probabilities and values to 1e-5. Then the 409
 * for a kernel SVM, the 400s, and a predictor key.
 */
class ModelExportTest {

	private static final double TOLERANCE = 1e-5;

	private static final List<String> FEATURES = List.of("x1", "x2", "color", "member");

	private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	static HttpTestClient http;

	static int port;

	/** Name of each trained case -> model id. */
	static final Map<String, String> models = new LinkedHashMap<>();

	@BeforeAll
	static void trainEveryAlgorithm() throws Exception {
		port = server.port();
		http = new HttpTestClient(port);
		HttpTestClient.Response upload = http.upload("export.csv", csv(rows(new SplittableRandom(20261201), 300)),
				"export");
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		String datasetId = (String) upload.json().get("id");

		Map<String, Map<String, Object>> specs = new LinkedHashMap<>();
		Map<String, Object> validation = Map.of("validationFraction", 0.2);
		specs.put("linear_regression", job("y", "linear_regression", Map.of(), Map.of()));
		specs.put("logistic_regression binary", job("outcome", "logistic_regression", Map.of(), validation));
		specs.put("logistic_regression multinomial", job("tier", "logistic_regression", Map.of(), Map.of()));
		specs.put("linear_svm binary", job("outcome", "linear_svm", Map.of(), validation));
		specs.put("linear_svm one-vs-rest", job("tier", "linear_svm", Map.of(), Map.of()));
		Map<String, Object> mlp = Map.of("hiddenLayers", List.of(8, 4), "epochs", 60, "batchSize", 32, "learningRate",
				0.01);
		specs.put("mlp classifier", job("tier", "mlp", mlp, Map.of()));
		specs.put("mlp binary", job("outcome", "mlp", Map.of("hiddenLayers", List.of(6), "activation", "tanh", "epochs",
				60, "batchSize", 32, "learningRate", 0.01), validation));
		specs.put("mlp regressor", job("y", "mlp", Map.of("hiddenLayers", List.of(8), "activation", "sigmoid", "epochs",
				60, "batchSize", 32, "learningRate", 0.01), Map.of()));
		specs.put("svm", job("outcome", "svm", Map.of(), Map.of()));

		Map<String, String> jobs = new LinkedHashMap<>();
		for (Map.Entry<String, Map<String, Object>> e : specs.entrySet()) {
			Map<String, Object> spec = new LinkedHashMap<>(e.getValue());
			spec.put("datasetId", datasetId);
			HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs", spec);
			assertThat(submitted.status()).as(e.getKey() + ": " + submitted.body()).isEqualTo(202);
			jobs.put(e.getKey(), (String) submitted.json().get("id"));
		}
		for (Map.Entry<String, String> e : jobs.entrySet()) {
			Map<String, Object> job = http.awaitJob(e.getValue(), Duration.ofMinutes(5));
			assertThat(job.get("status")).as(e.getKey() + ": " + job).isEqualTo("succeeded");
			models.put(e.getKey(), (String) job.get("modelId"));
		}
	}

	private static Map<String, Object> job(String target, String algorithm, Map<String, Object> hyperparameters,
			Map<String, Object> extra) {
		Map<String, Object> spec = new LinkedHashMap<>(extra);
		spec.put("target", target);
		spec.put("features", FEATURES);
		spec.put("algorithm", algorithm);
		spec.put("hyperparameters", hyperparameters);
		spec.put("seed", 7);
		return spec;
	}

	/**
	 * Seeded rows: x1, x2 numeric (about 8% missing), color categorical over
	 * red/green/blue/amber (5% missing), member boolean spelled yes/no/true/false (5%
	 * missing); targets y (numeric), outcome (accept/reject), tier (low/mid/high), all
	 * depending on every feature with noise.
	 */
	static List<Map<String, Object>> rows(SplittableRandom random, int n) {
		String[] colors = { "red", "green", "blue", "amber" };
		List<Map<String, Object>> rows = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			double x1 = random.nextGaussian() * 2 + 5;
			double x2 = random.nextDouble(-10, 30);
			int c = random.nextInt(colors.length);
			boolean member = random.nextBoolean();
			double score = 0.8 * (x1 - 5) + 0.1 * (x2 - 10) + (c == 0 ? 1.5 : c == 2 ? -1.0 : 0.3)
					+ (member ? 1.2 : -0.4) + random.nextGaussian() * 0.7;
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("x1", random.nextDouble() < 0.08 ? null : Math.round(x1 * 1000) / 1000.0);
			row.put("x2", random.nextDouble() < 0.08 ? null : Math.round(x2 * 100) / 100.0);
			row.put("color", random.nextDouble() < 0.05 ? null : colors[c]);
			String[] spellings = member ? new String[] { "yes", "true" } : new String[] { "no", "false" };
			row.put("member", random.nextDouble() < 0.05 ? null : spellings[random.nextInt(2)]);
			row.put("y", Math.round((3 * score + 20) * 1000) / 1000.0);
			row.put("outcome", score + random.nextGaussian() * 0.5 > 0.6 ? "accept" : "reject");
			row.put("tier", score < -0.8 ? "low" : score < 1.5 ? "mid" : "high");
			rows.add(row);
		}
		return rows;
	}

	private static byte[] csv(List<Map<String, Object>> rows) {
		StringBuilder s = new StringBuilder(String.join(",", rows.get(0).keySet())).append('\n');
		for (Map<String, Object> row : rows) {
			List<String> cells = new ArrayList<>();
			row.values().forEach(v -> cells.add(v == null ? "" : v.toString()));
			s.append(String.join(",", cells)).append('\n');
		}
		return s.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Held-out rows (another seed) as a client would send them, with an unseen color and
	 * odd boolean spellings.
	 */
	private static List<Map<String, Object>> heldOut() {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Map<String, Object> row : rows(new SplittableRandom(99), 60)) {
			Map<String, Object> features = new LinkedHashMap<>();
			FEATURES.forEach(f -> features.put(f, row.get(f)));
			rows.add(features);
		}
		rows.get(0).put("color", "purple");
		rows.get(1).put("member", "YES");
		rows.get(2).put("member", "False");
		rows.get(3).put("member", "maybe");
		rows.get(4).putAll(Map.of("x1", 1e6, "x2", -1e6));
		rows.get(5).put("color", null);
		rows.get(5).put("member", null);
		rows.get(5).put("x1", null);
		return rows;
	}

	static HttpResponse<byte[]> download(String path, String key, String accept) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		if (accept != null) {
			request.header("Accept", accept);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	@Test
	@SuppressWarnings("unchecked")
	void onnxRuntimeAnswersAsThePredictionsEndpointForEveryExportableAlgorithm() throws Exception {
		List<Map<String, Object>> rows = heldOut();
		List<String> report = new ArrayList<>();
		for (Map.Entry<String, String> e : models.entrySet()) {
			if (e.getKey().equals("svm")) {
				continue;
			}
			String modelId = e.getValue();
			Map<String, Object> model = http.get("/api/v1/models/" + modelId).json();
			List<String> labels = (List<String>) model.get("classLabels");
			boolean binary = labels != null && labels.size() == 2;

			HttpResponse<byte[]> exported = download("/api/v1/models/" + modelId + "/export?format=onnx",
					HttpTestClient.ADMIN_KEY, null);
			assertThat(exported.statusCode()).as(e.getKey()).isEqualTo(200);
			assertThat(exported.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
			assertThat(exported.headers().firstValue("Content-Disposition"))
				.hasValue("attachment; filename=\"fitserve-" + model.get("algorithm") + "-" + modelId + ".onnx\"");

			Map<String, Object> request = new HashMap<>();
			request.put("rows", rows);
			if (binary) {
				request.put("threshold", "best_f1"); // the stored decisionThreshold,
														// which the export uses
			}
			HttpTestClient.Response predicted = http.postJson("/api/v1/models/" + modelId + "/predictions", request);
			assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
			List<Map<String, Object>> expected = (List<Map<String, Object>>) predicted.json().get("predictions");

			try (OrtSession session = ORT.createSession(exported.body(), new OrtSession.SessionOptions())) {
				Map<String, String> metadata = session.getMetadata().getCustomMetadata();
				assertThat(metadata).containsEntry("model_id", modelId)
					.containsEntry("algorithm", (String) model.get("algorithm"))
					.containsEntry("feature_names", "[\"x1\",\"x2\",\"color\",\"member\"]")
					.containsEntry("feature_types", "[\"numeric\",\"numeric\",\"categorical\",\"boolean\"]")
					.containsKey("fitserve_version");
				assertThat(session.getInputNames()).containsExactlyElementsOf(FEATURES);
				Map<String, Object> outputs = run(session, rows);
				double maxDifference = 0;
				for (int r = 0; r < rows.size(); r++) {
					Map<String, Object> want = expected.get(r);
					if (labels == null || labels.isEmpty()) {
						double value = ((double[]) outputs.get("value"))[r];
						maxDifference = Math.max(maxDifference, Math.abs(value - (Double) want.get("value")));
						continue;
					}
					assertThat(((String[]) outputs.get("label"))[r]).as(e.getKey() + " row " + r)
						.isEqualTo(want.get("label"));
					double[] probabilities = ((double[][]) outputs.get("probabilities"))[r];
					Map<String, Double> wanted = (Map<String, Double>) want.get("probabilities");
					for (int c = 0; c < labels.size(); c++) {
						maxDifference = Math.max(maxDifference,
								Math.abs(probabilities[c] - wanted.get(labels.get(c)).doubleValue()));
					}
				}
				assertThat(maxDifference).as(e.getKey()).isLessThanOrEqualTo(TOLERANCE);
				if (binary) {
					Object threshold = model.get("decisionThreshold");
					assertThat(metadata.get("decision_threshold"))
						.isEqualTo(Double.toString(threshold == null ? 0.5 : ((Number) threshold).doubleValue()));
					assertThat(metadata).containsEntry("class_labels", "[\"accept\",\"reject\"]");
				}
				String detail = "";
				if (labels != null && !labels.isEmpty()) {
					// a meaningful comparison: the held-out rows get more than one class
					assertThat(java.util.Arrays.stream((String[]) outputs.get("label")).distinct().count())
						.as(e.getKey())
						.isGreaterThan(1);
					detail = binary ? ", threshold " + metadata.get("decision_threshold") : "";
				}
				report.add(String.format(Locale.ROOT, "%s: max |onnx - fitserve| = %.3g%s", e.getKey(), maxDifference,
						detail));
			}
		}
		assertThat(report).hasSize(8);
		System.out
			.println("ONNX export parity on " + rows.size() + " held-out rows:\n  " + String.join("\n  ", report));
	}

	@Test
	void aKernelSvmIsAConflictThatNamesTheAlgorithm() throws Exception {
		// asked for the file, answered with a problem all the same
		HttpResponse<byte[]> r = download("/api/v1/models/" + models.get("svm") + "/export?format=onnx",
				HttpTestClient.ADMIN_KEY, "application/octet-stream");
		assertThat(r.statusCode()).isEqualTo(409);
		assertThat(r.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
		@SuppressWarnings("unchecked")
		Map<String, Object> problem = new tools.jackson.databind.json.JsonMapper().readValue(r.body(), Map.class);
		assertThat(problem.get("type")).isEqualTo("urn:fitserve:problem:export-not-supported");
		assertThat(problem.get("status")).isEqualTo(409);
		assertThat((String) problem.get("detail")).contains("algorithm svm").contains("Kernel SVM");
	}

	@Test
	@SuppressWarnings("unchecked")
	void anUnknownFormatOrAMisplacedThresholdIsA400AndAnUnknownModelA404() {
		HttpTestClient.Response pmml = http
			.get("/api/v1/models/" + models.get("linear_regression") + "/export?format=pmml");
		assertThat(pmml.status()).isEqualTo(400);
		assertThat(pmml.contentType()).startsWith("application/problem+json");
		assertThat(pmml.json().get("type")).isEqualTo("urn:fitserve:problem:validation-error");
		assertThat((String) pmml.json().get("detail")).contains("'pmml'").contains("onnx");
		assertThat((List<Map<String, Object>>) pmml.json().get("errors"))
			.containsExactly(Map.of("field", "format", "message", "must be one of [onnx]"));

		HttpTestClient.Response threshold = http
			.get("/api/v1/models/" + models.get("logistic_regression multinomial") + "/export?threshold=0.3");
		assertThat(threshold.status()).isEqualTo(400);
		assertThat(threshold.json().get("type")).isEqualTo("urn:fitserve:problem:validation-error");

		HttpTestClient.Response outOfRange = http
			.get("/api/v1/models/" + models.get("logistic_regression binary") + "/export?threshold=1.5");
		assertThat(outOfRange.status()).isEqualTo(400);

		HttpTestClient.Response unknown = http.get("/api/v1/models/" + java.util.UUID.randomUUID() + "/export");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().get("type")).isEqualTo("urn:fitserve:problem:not-found");
	}

	@Test
	@SuppressWarnings("unchecked")
	void aPredictorKeyMayExportAndAnExplicitThresholdIsUsed() throws Exception {
		HttpTestClient.Response created = http.postJson("/api/v1/api-keys",
				Map.of("name", "edge deployment", "role", "predictor"));
		assertThat(created.status()).isEqualTo(201);
		String predictor = (String) created.json().get("secret");
		String modelId = models.get("logistic_regression binary");
		HttpResponse<byte[]> exported = download("/api/v1/models/" + modelId + "/export?threshold=0.9", predictor,
				null);
		assertThat(exported.statusCode()).isEqualTo(200);
		assertThat(download("/api/v1/models/" + modelId + "/export", null, null).statusCode()).isEqualTo(401);

		List<Map<String, Object>> rows = heldOut();
		Map<String, Object> expected = http
			.postJson("/api/v1/models/" + modelId + "/predictions", Map.of("rows", rows, "threshold", 0.9))
			.json();
		try (OrtSession session = ORT.createSession(exported.body(), new OrtSession.SessionOptions())) {
			assertThat(session.getMetadata().getCustomMetadata()).containsEntry("decision_threshold", "0.9");
			String[] labels = (String[]) run(session, rows).get("label");
			List<Map<String, Object>> predictions = (List<Map<String, Object>>) expected.get("predictions");
			for (int r = 0; r < rows.size(); r++) {
				assertThat(labels[r]).isEqualTo(predictions.get(r).get("label"));
			}
		}
	}

	@Test
	void theOperationIsDocumentedWithItsFileAndProblems() {
		Map<String, Object> docs = http.withKey(null).get("/v3/api-docs").json();
		Map<String, Object> operation = HttpTestClient.at(docs, "paths", "/api/v1/models/{id}/export", "get");
		assertThat(operation.get("operationId")).isEqualTo("exportModel");
		assertThat(HttpTestClient.<Map<String, Object>>at(operation, "responses", "200", "content"))
			.containsOnlyKeys("application/octet-stream");
		for (String status : List.of("400", "404", "409")) {
			assertThat(HttpTestClient.<Map<String, Object>>at(operation, "responses", status, "content")).as(status)
				.containsKey("application/problem+json");
		}
	}

	/**
	 * Raw rows into ONNX Runtime: numeric features as double [N, 1] (null: NaN), the
	 * others as string [N, 1] (null: "").
	 */
	static Map<String, Object> run(OrtSession session, List<Map<String, Object>> rows) throws OrtException {
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try {
			for (String feature : FEATURES) {
				boolean numeric = feature.startsWith("x");
				if (numeric) {
					double[][] column = new double[rows.size()][1];
					for (int r = 0; r < rows.size(); r++) {
						Object v = rows.get(r).get(feature);
						column[r][0] = v == null ? Double.NaN : ((Number) v).doubleValue();
					}
					inputs.put(feature, OnnxTensor.createTensor(ORT, column));
				}
				else {
					String[] column = new String[rows.size()];
					for (int r = 0; r < rows.size(); r++) {
						Object v = rows.get(r).get(feature);
						column[r] = v == null ? "" : v.toString();
					}
					inputs.put(feature, OnnxTensor.createTensor(ORT, column, new long[] { rows.size(), 1 }));
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
