package io.fitserve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Compressed models over real HTTP: a logistic regression trained on iris compressed to
 * float16 and int8 (sizes worked out from the artifact format, agreement with the
 * original on its test split, predictions, evaluation, ONNX export), a linear regression
 * whose dataset is deleted, an MLP, and the refusals.
 */
class CompressionTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.training.max-concurrent-jobs=1");

	static HttpTestClient http;

	static String irisData;

	static String logistic;

	static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

	@BeforeAll
	static void train() throws InterruptedException {
		http = server.http();
		irisData = upload(TreeModelsTest.iris());
		logistic = trainModel(Map.of("datasetId", irisData, "target", "species", "algorithm", "logistic_regression"));
	}

	static String upload(byte[] csv) {
		HttpTestClient.Response r = http.upload("data.csv", csv, null);
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		return (String) r.json().get("id");
	}

	static String trainModel(Map<String, Object> request) throws InterruptedException {
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs", request);
		assertThat(r.status()).as(r.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) r.json().get("id"), Duration.ofMinutes(5));
		assertThat(job.get("status")).as(job.toString()).isEqualTo("succeeded");
		return (String) job.get("modelId");
	}

	static HttpTestClient.Response compress(String model, String precision) {
		return http.postJson("/api/v1/models/" + model + "/compressions", Map.of("precision", precision));
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> list(HttpTestClient.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return tools.jackson.databind.json.JsonMapper.builder().build().readValue(response.body(), List.class);
	}

	/** The figures of a compression, for the README. */
	static String figures(Map<String, Object> c) {
		Map<String, Object> agreement = at(c, "agreement");
		Map<String, Object> shown = new java.util.LinkedHashMap<>(agreement == null ? Map.of() : agreement);
		shown.remove("originalMetrics");
		shown.remove("compressedMetrics");
		return c.get("precision") + ": size " + c.get("sizeBefore") + " -> " + c.get("sizeAfter") + " (ratio "
				+ c.get("compressionRatio") + "), weights " + c.get("weightBytesBefore") + " -> "
				+ c.get("weightBytesAfter") + ", agreement " + shown;
	}

	static double number(Object json, Object... path) {
		return ((Number) at(json, path)).doubleValue();
	}

	/**
	 * iris' logistic regression: 4 standardized inputs x 3 classes = 12 weights, 96 bytes
	 * as doubles; float16 stores 24, int8 12 codes and 3 float scales, also 24. The
	 * header gains one field, so the artifact shrinks by 72 bytes less the field.
	 */
	@Test
	void logisticRegressionCompressesToFloat16AndInt8() throws Exception {
		Map<String, Object> original = http.get("/api/v1/models/" + logistic).json();
		long sizeBefore = ((Number) original.get("artifactSize")).longValue();
		int testRows = (int) number(original, "provenance", "rows", "test");
		assertThat(testRows).as("20% of 150 rows, stratified").isEqualTo(30);

		for (String precision : List.of("float16", "int8")) {
			HttpTestClient.Response r = compress(logistic, precision);
			assertThat(r.status()).as(r.body()).isEqualTo(201);
			Map<String, Object> c = r.json();
			assertThat(r.header("Location")).isEqualTo("/api/v1/models/" + logistic + "/compressions/" + c.get("id"));
			String field = ",\"weights\":\"" + precision + "\"";
			assertThat(c).containsEntry("modelId", logistic)
				.containsEntry("precision", precision)
				.containsEntry("sizeBefore", (int) sizeBefore)
				.containsEntry("sizeAfter", (int) (sizeBefore - 72 + field.length()))
				.containsEntry("weightBytesBefore", 96)
				.containsEntry("weightBytesAfter", 24)
				.containsEntry("weightCompressionRatio", 4.0);
			assertThat(number(c, "compressionRatio"))
				.isCloseTo((double) sizeBefore / (sizeBefore - 72 + field.length()), within(1e-12));
			assertThat(HttpTestClient.<List<String>>at(c, "warnings")).isEmpty();

			// agreement on the 30 test rows (measured: every label the same; the largest
			// probability difference 2.2e-4 for float16 and 3.9e-3 for int8)
			Map<String, Object> agreement = at(c, "agreement");
			System.out.println("FIGURES iris logistic_regression " + figures(c));
			assertThat(agreement).containsEntry("rows", 30).containsEntry("labelAgreement", 1.0);
			assertThat(agreement).containsEntry("labelsDiffering", 0).doesNotContainKey("r2");
			double maxDifference = number(agreement, "maxProbabilityDifference");
			assertThat(maxDifference).isGreaterThan(0).isLessThan(precision.equals("float16") ? 1e-3 : 2e-2);
			assertThat(number(agreement, "meanProbabilityDifference")).isGreaterThan(0).isLessThan(maxDifference);
			assertThat(number(agreement, "compressedMetrics", "accuracy"))
				.isEqualTo(number(agreement, "originalMetrics", "accuracy"));

			// the new model: the original's features and provenance, plus compressedFrom
			String compressed = (String) c.get("compressedModelId");
			Map<String, Object> model = http.get("/api/v1/models/" + compressed).json();
			assertThat(model).containsEntry("algorithm", "logistic_regression")
				.containsEntry("task", "classification")
				.containsEntry("target", "species")
				.containsEntry("trainingJobId", original.get("trainingJobId"))
				.containsEntry("features", original.get("features"))
				.containsEntry("classLabels", List.of("setosa", "versicolor", "virginica"))
				.containsEntry("artifactSize", c.get("sizeAfter"));
			assertThat(HttpTestClient.<Map<String, Object>>at(model, "provenance", "compressedFrom"))
				.containsEntry("modelId", logistic)
				.containsEntry("precision", precision)
				.containsEntry("artifactSha256", original.get("artifactSha256"));
			assertThat(HttpTestClient.<Object>at(model, "provenance", "trainingSpec"))
				.isEqualTo(at(original, "provenance", "trainingSpec"));
			assertThat(HttpTestClient.<Object>at(model, "metrics", "test"))
				.isEqualTo(at(agreement, "compressedMetrics"));

			// predictions within the agreement's bound of the original's
			List<Map<String, Object>> rows = List.of(
					Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2),
					Map.of("sepal_length", 6.0, "sepal_width", 2.7, "petal_length", 5.1, "petal_width", 1.6),
					Map.of("sepal_length", 6.7, "sepal_width", 3.0, "petal_length", 5.2, "petal_width", 2.3));
			List<Map<String, Object>> before = at(
					http.postJson("/api/v1/models/" + logistic + "/predictions", Map.of("rows", rows)).json(),
					"predictions");
			HttpTestClient.Response predicted = http.postJson("/api/v1/models/" + compressed + "/predictions",
					Map.of("rows", rows));
			assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
			List<Map<String, Object>> after = at(predicted.json(), "predictions");
			for (int i = 0; i < rows.size(); i++) {
				assertThat(after.get(i).get("label")).isEqualTo(before.get(i).get("label"));
				Map<String, Object> p = at(before.get(i), "probabilities");
				Map<String, Object> q = at(after.get(i), "probabilities");
				for (String label : p.keySet()) {
					assertThat(((Number) q.get(label)).doubleValue()).isCloseTo(((Number) p.get(label)).doubleValue(),
							within(precision.equals("float16") ? 2e-3 : 3e-2));
				}
			}

			// evaluated like any model: all 150 rows
			HttpTestClient.Response evaluation = http.postJson("/api/v1/models/" + compressed + "/evaluations",
					Map.of("datasetId", irisData));
			assertThat(evaluation.status()).as(evaluation.body()).isEqualTo(201);
			assertThat(evaluation.json()).containsEntry("rows", 150);
			assertThat(number(evaluation.json(), "metrics", "accuracy")).isGreaterThan(0.9);

			// exported like any model: ONNX Runtime answers the compressed model's
			// /predictions (the dequantised weights in double precision)
			HttpResponse<byte[]> exported = HttpClient.newHttpClient()
				.send(HttpRequest
					.newBuilder(URI
						.create("http://localhost:" + server.port() + "/api/v1/models/" + compressed + "/export"))
					.header("Authorization", "Bearer " + HttpTestClient.ADMIN_KEY)
					.GET()
					.build(), HttpResponse.BodyHandlers.ofByteArray());
			assertThat(exported.statusCode()).isEqualTo(200);
			double[][] onnx = onnxProbabilities(exported.body(), rows);
			for (int i = 0; i < rows.size(); i++) {
				Map<String, Object> q = at(after.get(i), "probabilities");
				assertThat(onnx[i][0]).isCloseTo(((Number) q.get("setosa")).doubleValue(), within(1e-12));
				assertThat(onnx[i][2]).isCloseTo(((Number) q.get("virginica")).doubleValue(), within(1e-12));
			}

			// a compressed model is not compressed again
			HttpTestClient.Response again = compress(compressed, "int8");
			assertThat(again.status()).as(again.body()).isEqualTo(409);
			assertThat(again.json()).containsEntry("type", "urn:fitserve:problem:already-compressed")
				.containsEntry("title", "The model is already compressed");
			assertThat((String) again.json().get("detail")).contains("already stores " + precision + " weights")
				.contains("compressedFrom");
		}

		List<Map<String, Object>> list = list(http.get("/api/v1/models/" + logistic + "/compressions"));
		assertThat(list).extracting(c -> c.get("precision")).containsExactly("int8", "float16");
		Map<String, Object> one = http.get("/api/v1/models/" + logistic + "/compressions/" + list.get(1).get("id"))
			.json();
		assertThat(one).isEqualTo(list.get(1));
		HttpTestClient.Response unknown = http.get("/api/v1/models/" + logistic + "/compressions/" + UUID.randomUUID());
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json()).containsEntry("type", "urn:fitserve:problem:not-found");

		Map<String, Object> audit = http.get("/api/v1/audit-events?action=model.compress").json();
		assertThat(HttpTestClient.<List<Map<String, Object>>>at(audit, "items")).isNotEmpty();
	}

	static double[][] onnxProbabilities(byte[] model, List<Map<String, Object>> rows) throws Exception {
		OrtEnvironment ort = OrtEnvironment.getEnvironment();
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try (OrtSession session = ort.createSession(model, new OrtSession.SessionOptions())) {
			for (String feature : FEATURES) {
				double[][] column = new double[rows.size()][1];
				for (int r = 0; r < rows.size(); r++) {
					column[r][0] = ((Number) rows.get(r).get(feature)).doubleValue();
				}
				inputs.put(feature, OnnxTensor.createTensor(ort, column));
			}
			try (OrtSession.Result result = session.run(inputs)) {
				return (double[][]) result.get("probabilities").orElseThrow().getValue();
			}
		}
		finally {
			inputs.values().forEach(OnnxTensor::close);
		}
	}

	/**
	 * y = 3 x1 - 2 x2 + 0.5 x3 + noise: a linear regression's agreement is in the
	 * target's units; once its dataset is deleted a compression still works, without
	 * agreement.
	 */
	@Test
	void regressionAgreementAndADeletedDataset() throws InterruptedException {
		Random random = new Random(11);
		StringBuilder csv = new StringBuilder("x1,x2,x3,y\n");
		for (int i = 0; i < 200; i++) {
			double x1 = random.nextGaussian() * 10;
			double x2 = random.nextGaussian();
			double x3 = random.nextGaussian() * 100;
			csv.append(x1)
				.append(',')
				.append(x2)
				.append(',')
				.append(x3)
				.append(',')
				.append(3 * x1 - 2 * x2 + 0.5 * x3 + random.nextGaussian())
				.append('\n');
		}
		String data = upload(csv.toString().getBytes(StandardCharsets.UTF_8));
		// without refit the served model is the evaluated one: its stored test metrics
		// are
		// those of the rows the compression finds again
		String model = trainModel(
				Map.of("datasetId", data, "target", "y", "algorithm", "linear_regression", "refit", false));

		HttpTestClient.Response r = compress(model, "float16");
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		Map<String, Object> agreement = at(r.json(), "agreement");
		System.out.println("FIGURES linear_regression " + figures(r.json()));
		// 3 weights: 24 bytes as doubles, 6 as halves; the header's new field is 20, so
		// so small a model grows by 2 bytes
		long before = ((Number) r.json().get("sizeBefore")).longValue();
		assertThat(r.json()).containsEntry("sizeAfter", (int) before - 18 + 20);
		// 3 weights on standardized inputs (about 30, 2 and 50): halves hold them to
		// 2^-11 relative, a few hundredths in y (measured: max 0.04)
		assertThat(agreement).containsEntry("rows", 40).doesNotContainKey("labelAgreement");
		assertThat(number(agreement, "maxAbsoluteDifference")).isGreaterThan(0).isLessThan(0.2);
		assertThat(number(agreement, "meanAbsoluteDifference")).isLessThan(number(agreement, "maxAbsoluteDifference"));
		assertThat(number(agreement, "r2")).isGreaterThan(0.99999).isLessThan(1);
		// the re-derived test split is training's: the same rows give the same metrics
		assertThat(HttpTestClient.<Object>at(agreement, "originalMetrics"))
			.isEqualTo(at(http.get("/api/v1/models/" + model).json(), "metrics", "test"));
		assertThat(number(agreement, "compressedMetrics", "rmse"))
			.isCloseTo(number(agreement, "originalMetrics", "rmse"), within(0.05));

		// the compressed model keeps residuals on the test split, as training does
		Map<String, Object> residuals = http.get("/api/v1/models/" + r.json().get("compressedModelId") + "/residuals")
			.json();
		assertThat(residuals).containsEntry("split", "test").containsEntry("rows", 40);
		List<Map<String, Object>> points = at(residuals, "points");
		assertThat(points).hasSize(40);
		double rmse = Math.sqrt(points.stream()
			.mapToDouble(p -> Math.pow(number(p, "actual") - number(p, "predicted"), 2))
			.average()
			.orElseThrow());
		assertThat(rmse).isCloseTo(number(agreement, "compressedMetrics", "rmse"), within(1e-9));

		assertThat(http.delete("/api/v1/datasets/" + data).status()).isEqualTo(204);
		HttpTestClient.Response blind = compress(model, "int8");
		assertThat(blind.status()).as(blind.body()).isEqualTo(201);
		assertThat(blind.json()).containsEntry("agreement", null)
			.containsEntry("weightBytesBefore", 24)
			.containsEntry("weightBytesAfter", 3 + 4);
		assertThat(HttpTestClient.<List<String>>at(blind.json(), "warnings"))
			.containsExactly("agreement not measured: the dataset the model was trained on (" + data + ") was deleted");
		// the model itself serves
		String compressed = (String) blind.json().get("compressedModelId");
		HttpTestClient.Response predicted = http.postJson("/api/v1/models/" + compressed + "/predictions",
				Map.of("rows", List.of(Map.of("x1", 1, "x2", 0, "x3", 0))));
		assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
		assertThat(HttpTestClient.<Map<String, Object>>at(http.get("/api/v1/models/" + compressed).json(), "metrics"))
			.isEmpty();

		// deleting a compressed model deletes its record under the original; deleting the
		// original leaves the other compressed model serving
		assertThat(list(http.get("/api/v1/models/" + model + "/compressions"))).hasSize(2);
		assertThat(http.delete("/api/v1/models/" + compressed).status()).isEqualTo(204);
		assertThat(list(http.get("/api/v1/models/" + model + "/compressions"))).extracting(c -> c.get("precision"))
			.containsExactly("float16");
		String survivor = (String) r.json().get("compressedModelId");
		assertThat(http.delete("/api/v1/models/" + model).status()).isEqualTo(204);
		assertThat(http
			.postJson("/api/v1/models/" + survivor + "/predictions",
					Map.of("rows", List.of(Map.of("x1", 1, "x2", 0, "x3", 0))))
			.status()).isEqualTo(200);
		assertThat(HttpTestClient.<String>at(http.get("/api/v1/models/" + survivor).json(), "provenance",
				"compressedFrom", "modelId"))
			.isEqualTo(model);
	}

	@Test
	void refusesTreesBadPrecisionsAndUnknownModels() throws InterruptedException {
		String forest = trainModel(Map.of("datasetId", irisData, "target", "species", "algorithm", "random_forest",
				"hyperparameters", Map.of("nEstimators", 5)));
		HttpTestClient.Response trees = compress(forest, "int8");
		assertThat(trees.status()).as(trees.body()).isEqualTo(409);
		assertThat(trees.json()).containsEntry("type", "urn:fitserve:problem:compression-not-supported")
			.containsEntry("title", "The model cannot be compressed")
			.containsEntry("status", 409);
		assertThat((String) trees.json().get("detail")).isEqualTo("Model " + forest
				+ " is a random_forest model: it has no dense weight matrices to quantise. Compression applies to "
				+ "linear_regression, logistic_regression, linear_svm and mlp models.");
		assertThat(list(http.get("/api/v1/models/" + forest + "/compressions"))).isEmpty();

		for (String bad : List.of("float8", "FLOAT16", "float64")) {
			HttpTestClient.Response r = compress(logistic, bad);
			assertThat(r.status()).as(r.body()).isEqualTo(400);
			assertThat(r.json()).containsEntry("type", "urn:fitserve:problem:validation-error");
			assertThat(HttpTestClient.<List<Map<String, Object>>>at(r.json(), "errors")).singleElement()
				.isEqualTo(Map.of("field", "precision", "message", "must be \"float16\" or \"int8\""));
		}
		HttpTestClient.Response number = http.postJson("/api/v1/models/" + logistic + "/compressions",
				Map.of("precision", 16));
		assertThat(number.status()).as(number.body()).isEqualTo(400);
		assertThat(number.json()).containsEntry("type", "urn:fitserve:problem:validation-error");
		for (String body : List.of("{\"precision\": [\"int8\"]}", "{\"precision\": ", "")) {
			HttpTestClient.Response malformed = http.post("/api/v1/models/" + logistic + "/compressions",
					"application/json", body);
			assertThat(malformed.status()).as(body + " -> " + malformed.body()).isEqualTo(400);
			assertThat(malformed.contentType()).startsWith("application/problem+json");
		}
		HttpTestClient.Response missing = http.postJson("/api/v1/models/" + logistic + "/compressions", Map.of());
		assertThat(missing.status()).isEqualTo(400);
		assertThat(HttpTestClient.<String>at(missing.json(), "errors", 0, "field")).isEqualTo("precision");

		String unknown = UUID.randomUUID().toString();
		HttpTestClient.Response notFound = compress(unknown, "int8");
		assertThat(notFound.status()).isEqualTo(404);
		assertThat(notFound.json()).containsEntry("type", "urn:fitserve:problem:not-found")
			.containsEntry("detail", "No model with id '" + unknown + "'.");
		assertThat(http.get("/api/v1/models/" + unknown + "/compressions").status()).isEqualTo(404);
	}

	/**
	 * An MLP on 30 numeric features: the weight matrices are most of its artifact, so the
	 * whole file shrinks by about the format's ratio (figures printed for the README).
	 */
	@Test
	void anMlpShrinksWithItsWeights() throws InterruptedException {
		Random random = new Random(5);
		StringBuilder csv = new StringBuilder();
		List<String> names = new ArrayList<>();
		for (int j = 0; j < 30; j++) {
			names.add("f" + j);
		}
		csv.append(String.join(",", names)).append(",label\n");
		for (int i = 0; i < 400; i++) {
			double score = 0;
			for (int j = 0; j < 30; j++) {
				double v = random.nextGaussian();
				score += (j % 3 == 0 ? 1 : -0.5) * v;
				csv.append(v).append(',');
			}
			csv.append(score > 0 ? "yes" : "no").append('\n');
		}
		String data = upload(csv.toString().getBytes(StandardCharsets.UTF_8));
		String mlp = trainModel(Map.of("datasetId", data, "target", "label", "algorithm", "mlp", "hyperparameters",
				Map.of("hiddenLayers", List.of(64, 32), "epochs", 40)));
		for (String precision : List.of("float16", "int8")) {
			HttpTestClient.Response r = compress(mlp, precision);
			assertThat(r.status()).as(r.body()).isEqualTo(201);
			Map<String, Object> c = r.json();
			System.out.println("FIGURES mlp 30-64-32-2 " + figures(c));
			// 30x64 + 64x32 + 32x2 = 4,032 weights: 32,256 bytes as doubles
			assertThat(c).containsEntry("weightBytesBefore", 32_256)
				.containsEntry("weightBytesAfter", precision.equals("float16") ? 8_064 : 4_032 + (64 + 32 + 2) * 4);
			assertThat(number(c, "compressionRatio")).isGreaterThan(1.2);
			assertThat(number(c, "agreement", "labelAgreement")).isGreaterThanOrEqualTo(0.95);
		}
	}

}
