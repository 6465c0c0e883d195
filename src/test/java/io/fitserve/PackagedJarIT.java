package io.fitserve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar users run ({@code java -jar target/fitserve-*.jar}, after {@code package}): its
 * own classpath, not the test one. A library the tests bring along can hide one the jar
 * lacks: commons-io came into the jar only through commons-fileupload2, and once that was
 * test-scoped, every neural-network fit in the jar failed (ND4J loads its compressors
 * through commons-io) while every unit test passed. So here the jar uploads iris as
 * multipart, trains the algorithm families (ND4J networks, L-BFGS linear, trees,
 * k-means), predicts known rows, exports ONNX and serves its OpenAPI document and Swagger
 * UI.
 */
class PackagedJarIT {

	@TempDir
	Path dataDir;

	private ServiceProcess service;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.service != null) {
			this.service.kill();
			this.service.waitFor(30);
		}
	}

	@Test
	void theJarUploadsTrainsPredictsAndExports() throws Exception {
		Path jar = Path.of(System.getProperty("fitserve.jar"));
		assertThat(jar).as("the packaged jar (run ./mvnw verify)").isRegularFile();
		this.service = ServiceProcess.startJar(jar, this.dataDir, "jar");
		HttpTestClient http = this.service.client();

		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		HttpTestClient.Response upload = http.upload("iris.csv", iris, "iris");
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		assertThat(upload.json().get("rows")).isEqualTo(150);
		String datasetId = (String) upload.json().get("id");

		Map<String, Object> rows = Map.of("rows",
				List.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2),
						Map.of("sepal_length", 7.7, "sepal_width", 3.0, "petal_length", 6.1, "petal_width", 2.3)));
		for (String algorithm : List.of("logistic_regression", "mlp", "random_forest")) {
			String modelId = train(http, datasetId, algorithm, "species");
			Map<String, Object> model = http.get("/api/v1/models/" + modelId).json();
			assertThat(HttpTestClient.<Double>at(model, "metrics", "test", "accuracy")).as(algorithm)
				.isGreaterThanOrEqualTo(0.9);
			Map<String, Object> predicted = http.postJson("/api/v1/models/" + modelId + "/predictions", rows).json();
			assertThat(HttpTestClient.<String>at(predicted, "predictions", 0, "label")).as(algorithm)
				.isEqualTo("setosa");
			assertThat(HttpTestClient.<String>at(predicted, "predictions", 1, "label")).as(algorithm)
				.isEqualTo("virginica");
			if (algorithm.equals("logistic_regression")) {
				HttpTestClient.Response onnx = http.get("/api/v1/models/" + modelId + "/export?format=onnx");
				assertThat(onnx.status()).as(onnx.body()).isEqualTo(200);
				assertThat(onnx.body()).contains(modelId);
			}
		}
		String kmeans = (String) http
			.awaitJob(
					(String) http
						.postJson("/api/v1/training-jobs",
								Map.of("datasetId", datasetId, "algorithm", "kmeans", "features",
										List.of("sepal_length", "sepal_width", "petal_length", "petal_width"),
										"hyperparameters", Map.of("k", 3)))
						.json()
						.get("id"),
					Duration.ofMinutes(3))
			.get("status");
		assertThat(kmeans).isEqualTo("succeeded");

		assertThat(http.withKey(null).get("/v3/api-docs").body()).contains("\"/api/v1/datasets\"");
		assertThat(http.withKey(null).get("/swagger-ui/index.html").status()).isEqualTo(200);
		assertThat(this.service.output()).doesNotContain("ServiceConfigurationError", "NoClassDefFoundError",
				"ClassNotFoundException");
		assertThat(Files.list(this.dataDir)).isNotEmpty();
		// the jar's defaults include the training warm-up, which logs when done
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (!this.service.output().contains("Training code warmed up in") && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		assertThat(this.service.output()).contains("Training code warmed up in")
			.doesNotContain("Training warm-up failed");
	}

	private static String train(HttpTestClient http, String datasetId, String algorithm, String target)
			throws InterruptedException {
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", target, "algorithm", algorithm));
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) submitted.json().get("id"), Duration.ofMinutes(3));
		assertThat(job.get("status")).as("%s job %s", algorithm, job).isEqualTo("succeeded");
		return (String) job.get("modelId");
	}

}
