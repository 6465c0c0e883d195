package io.fitserve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole service over real HTTP on the real H2 files and real ND4J training: upload
 * iris, train, poll, read the model, predict; then restart on the same data directory and
 * predict again with the same answer.
 */
class EndToEndTest {

	@TempDir
	Path dataDir;

	@Test
	void uploadTrainPredictSurvivesRestart() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		Map<String, Object> setosaRow = Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4,
				"petal_width", 0.2);
		Map<String, Object> virginicaRow = Map.of("sepal_length", "7.7", "sepal_width", 3.0, "petal_length", 6.1,
				"petal_width", 2.3, "id", 149);
		Map<String, Object> request = Map.of("rows", List.of(setosaRow, virginicaRow));
		String modelId;
		String longJobId;
		Map<String, Object> firstPredictions;

		try (ConfigurableApplicationContext app = start()) {
			HttpTestClient http = FitserveServer.client(app);

			HttpTestClient.Response upload = http.upload("iris.csv", iris, null);
			assertThat(upload.status()).isEqualTo(201);
			Map<String, Object> dataset = upload.json();
			String datasetId = (String) dataset.get("id");
			assertThat(upload.header("Location")).isEqualTo("/api/v1/datasets/" + datasetId);
			assertThat(dataset.get("name")).isEqualTo("iris");
			assertThat(dataset.get("rows")).isEqualTo(150);
			assertThat((String) dataset.get("sha256")).hasSize(64);
			assertThat(HttpTestClient.<String>at(dataset, "columns", 0, "type")).isEqualTo("numeric");
			assertThat(HttpTestClient.<String>at(dataset, "columns", 4, "type")).isEqualTo("categorical");
			// the mean of iris sepal length is 5.8433 (876.5 / 150)
			assertThat(HttpTestClient.<Double>at(dataset, "columns", 0, "profile", "mean")).isCloseTo(5.8433,
					within(1e-4));

			Map<String, Object> rows = http.get("/api/v1/datasets/" + datasetId + "/rows?offset=0&limit=2").json();
			assertThat(HttpTestClient.<Object>at(rows, "rows", 0)).isEqualTo(Map.of("sepal_length", 5.1, "sepal_width",
					3.5, "petal_length", 1.4, "petal_width", 0.2, "species", "setosa"));

			// The same file as the raw request body (no multipart) is stored and profiled
			// identically.
			HttpTestClient.Response raw = http.uploadRaw(iris, "text/csv", "?name=iris-raw");
			assertThat(raw.status()).as(raw.body()).isEqualTo(201);
			Map<String, Object> rawDataset = raw.json();
			String rawId = (String) rawDataset.get("id");
			assertThat(raw.header("Location")).isEqualTo("/api/v1/datasets/" + rawId);
			assertThat(rawDataset.get("name")).isEqualTo("iris-raw");
			assertThat(rawDataset.get("rows")).isEqualTo(150);
			assertThat(rawDataset.get("sha256")).isEqualTo(dataset.get("sha256"));
			assertThat(rawDataset.get("columns")).isEqualTo(dataset.get("columns"));
			assertThat(HttpTestClient.<Double>at(rawDataset, "columns", 0, "profile", "mean")).isCloseTo(5.8433,
					within(1e-4));
			assertThat(HttpTestClient.<Double>at(rawDataset, "columns", 2, "profile", "max")).isEqualTo(6.9);
			assertThat(HttpTestClient.<Object>at(rawDataset, "columns", 4, "profile", "topValues", 0))
				.isEqualTo(Map.of("value", "setosa", "count", 50));
			assertThat(http.get("/api/v1/datasets/" + rawId + "/rows?offset=149&limit=1").json().get("rows"))
				.isEqualTo(http.get("/api/v1/datasets/" + datasetId + "/rows?offset=149&limit=1").json().get("rows"));
			assertThat(http.get("/api/v1/datasets/" + rawId).json().get("columns")).isEqualTo(dataset.get("columns"));
			assertThat(http.delete("/api/v1/datasets/" + rawId).status()).isEqualTo(204);

			HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
					Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression"));
			assertThat(submitted.status()).isEqualTo(202);
			String jobId = (String) submitted.json().get("id");
			assertThat(submitted.header("Location")).isEqualTo("/api/v1/training-jobs/" + jobId);
			// every default is filled in on the stored spec
			assertThat(HttpTestClient.<String>at(submitted.json(), "spec", "task")).isEqualTo("classification");
			assertThat(HttpTestClient.<String>at(submitted.json(), "spec", "hyperparameters", "optimizer"))
				.isEqualTo("lbfgs");
			assertThat(HttpTestClient.<List<String>>at(submitted.json(), "spec", "features"))
				.containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");

			Map<String, Object> job = http.awaitJob(jobId, Duration.ofMinutes(3));
			assertThat(job.get("status")).as("job %s", job).isEqualTo("succeeded");
			assertThat(HttpTestClient.<Double>at(job, "progress", "fraction")).isEqualTo(1.0);
			modelId = (String) job.get("modelId");

			List<?> history = new tools.jackson.databind.json.JsonMapper()
				.readValue(http.get("/api/v1/training-jobs/" + jobId + "/history").body(), List.class);
			assertThat(history).isNotEmpty();
			assertThat(HttpTestClient.<Integer>at(history, 0, "epoch")).isEqualTo(1);

			Map<String, Object> model = http.get("/api/v1/models/" + modelId).json();
			assertThat(model.get("classLabels")).isEqualTo(List.of("setosa", "versicolor", "virginica"));
			assertThat(model.get("algorithm")).isEqualTo("logistic_regression");
			assertThat(HttpTestClient.<Double>at(model, "metrics", "test", "accuracy")).isGreaterThanOrEqualTo(0.9);
			assertThat(HttpTestClient.<Integer>at(model, "provenance", "rows", "test")).isEqualTo(30);
			assertThat(HttpTestClient.<String>at(model, "provenance", "datasetSha256"))
				.isEqualTo(dataset.get("sha256"));
			assertThat(HttpTestClient.<Integer>at(model, "provenance", "seed")).isEqualTo(42);
			// the compute backend that trained it: the default build has no CUDA backend
			assertThat(HttpTestClient.<String>at(model, "provenance", "backend")).isEqualTo("cpu");
			// the stored artifact carries its own provenance (artifact format version 4);
			// the model's JSON is unchanged
			assertThat(model).doesNotContainKey("artifactProvenance");
			io.fitserve.models.ModelService models = app.getBean(io.fitserve.models.ModelService.class);
			io.fitserve.ml.artifact.ModelProvenance stored = models.artifact(models.get(modelId)).provenance();
			assertThat(stored.datasetId()).isEqualTo(datasetId);
			assertThat(stored.datasetSha256()).isEqualTo(dataset.get("sha256"));
			assertThat(stored.algorithm()).isEqualTo("logistic_regression");
			assertThat(stored.seed()).isEqualTo(42L);
			assertThat(stored.hyperparameters()).containsEntry("optimizer", "lbfgs");
			// refit (the default): the served model was trained again on all 150 rows
			// after the 30 test rows scored the train split's fit
			assertThat(stored.trainingRows()).containsEntry("trainedOn", "all rows: train and test splits")
				.containsEntry("rows", 150);
			assertThat(HttpTestClient.<Integer>at(model, "provenance", "servedModel", "rows")).isEqualTo(150);
			assertThat(HttpTestClient.<Integer>at(model, "metrics", "refit", "evaluatedModelRows"))
				.isEqualTo(HttpTestClient.<Integer>at(model, "provenance", "rows", "train"));
			assertThat(stored.computeBackend()).isEqualTo("cpu");
			assertThat(stored.fitserveVersion()).isNotBlank();
			assertThat(stored.nd4jBackend()).isNotBlank();
			assertThat(stored.javaVersion()).isEqualTo(System.getProperty("java.version"));
			assertThat(stored.availableProcessors()).isPositive();
			assertThat(stored.trainingStartedAt()).isBeforeOrEqualTo(stored.trainingFinishedAt());

			HttpTestClient.Response predicted = http.postJson("/api/v1/models/" + modelId + "/predictions", request);
			assertThat(predicted.status()).isEqualTo(200);
			assertThat(predicted.header("Server-Timing")).matches("predict;dur=\\d+\\.\\d{3}");
			firstPredictions = predicted.json();
			assertThat(HttpTestClient.<String>at(firstPredictions, "predictions", 0, "label")).isEqualTo("setosa");
			assertThat(HttpTestClient.<String>at(firstPredictions, "predictions", 1, "label")).isEqualTo("virginica");
			Map<String, Double> probabilities = at(firstPredictions, "predictions", 0, "probabilities");
			assertThat(probabilities.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
					within(1e-9));
			assertThat(HttpTestClient.<List<String>>at(firstPredictions, "warnings"))
				.containsExactly("'id' is not a feature of this model; ignored in 1 row(s)");

			// the same spec on the same dataset trains the same model
			String twinJob = (String) http
				.postJson("/api/v1/training-jobs",
						Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression"))
				.json()
				.get("id");
			String twinModel = (String) http.awaitJob(twinJob, Duration.ofMinutes(3)).get("modelId");
			assertThat(http.get("/api/v1/models/" + twinModel).json().get("metrics")).isEqualTo(model.get("metrics"));
			assertThat(http.postJson("/api/v1/models/" + twinModel + "/predictions", request).json().get("predictions"))
				.isEqualTo(firstPredictions.get("predictions"));

			// a job still running when the process stops must not stay "running" forever,
			// nor be lost
			longJobId = (String) http
				.postJson("/api/v1/training-jobs", Map.of("datasetId", datasetId, "target", "species", "algorithm",
						"mlp", "hyperparameters", Map.of("epochs", 100000, "batchSize", 1, "earlyStoppingPatience", 0)))
				.json()
				.get("id");
			awaitStatus(http, longJobId, "running");
		}

		try (ConfigurableApplicationContext app = start()) {
			HttpTestClient http = FitserveServer.client(app);
			Map<String, Object> again = http.postJson("/api/v1/models/" + modelId + "/predictions", request).json();
			assertThat(again.get("predictions")).isEqualTo(firstPredictions.get("predictions"));

			// a job still running when the process stopped is queued again and runs at
			// the next start; the context was closed gracefully, so it does not use up an
			// attempt
			Map<String, Object> interrupted = http.get("/api/v1/training-jobs/" + longJobId).json();
			assertThat(interrupted.get("status")).isIn("queued", "running");
			assertThat(interrupted.get("attempt")).isEqualTo(1);
			assertThat(http.postJson("/api/v1/training-jobs/" + longJobId + "/cancel", Map.of()).status()).isIn(200,
					202);
			assertThat(http.awaitJob(longJobId, Duration.ofMinutes(1)).get("status")).isEqualTo("cancelled");
		}
	}

	private static void awaitStatus(HttpTestClient http, String jobId, String status) throws InterruptedException {
		for (int i = 0; i < 600; i++) {
			if (status.equals(http.get("/api/v1/training-jobs/" + jobId).json().get("status"))) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("job " + jobId + " never became " + status);
	}

	private ConfigurableApplicationContext start() throws Exception {
		Files.createDirectories(dataDir);
		return FitserveServer.start(getClass(), this, dataDir);
	}

}
