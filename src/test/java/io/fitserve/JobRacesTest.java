package io.fitserve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.Lifecycle;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Races over real HTTP on real H2 and real training: cancels at varied moments of a job's
 * life, predictions while their model is deleted (with a one-model cache, so most
 * predictions load the artifact file), and job submissions once the service has begun to
 * shut down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobRacesTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.models.cache-size=1");

	private static HttpTestClient http;

	private static String datasetId;

	@BeforeAll
	static void start() throws Exception {
		http = server.http();
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		HttpTestClient.Response upload = http.upload("iris.csv", iris, null);
		assertThat(upload.status()).isEqualTo(201);
		datasetId = (String) upload.json().get("id");
	}

	@Test
	@Order(1)
	void cancelAtAnyMomentEndsCancelledOrSucceeded() throws Exception {
		Map<String, Object> spec = Map.of("datasetId", datasetId, "target", "species", "algorithm", "mlp",
				"hyperparameters", Map.of("hiddenLayers", List.of(16), "epochs", 30, "batchSize", 4));
		for (int i = 0; i < 20; i++) {
			HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs", spec);
			assertThat(submitted.status()).isEqualTo(202);
			String id = (String) submitted.json().get("id");
			Thread.sleep(i * 15L);
			HttpTestClient.Response cancel = http.postJson("/api/v1/training-jobs/" + id + "/cancel", Map.of());
			assertThat(cancel.status()).as("cancel %d: %s", i, cancel.body()).isIn(200, 202, 409);
			Map<String, Object> job = http.awaitJob(id, Duration.ofMinutes(1));
			assertThat(job.get("status")).as("job %d: %s", i, job).isIn("cancelled", "succeeded");
			assertThat(job).as("job %d", i).doesNotContainKey("error");
			if (cancel.status() == 409) {
				assertThat(job.get("status")).isEqualTo("succeeded");
			}
		}
	}

	@Test
	@Order(2)
	void predictionRacingADeleteAnswers200Or404() throws Exception {
		Map<String, Object> row = Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width",
				0.2);
		String other = trainModel(100);
		Set<Integer> statuses = ConcurrentHashMap.newKeySet();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			for (int round = 0; round < 4; round++) {
				String doomed = trainModel(round);
				AtomicBoolean gone = new AtomicBoolean();
				List<Future<?>> clients = new ArrayList<>();
				for (int t = 0; t < 4; t++) {
					// alternating with another model keeps the one-model cache cold: most
					// requests load the file
					String mine = t % 2 == 0 ? doomed : other;
					clients.add(threads.submit(() -> {
						for (int n = 0; n < 5000 && !gone.get(); n++) {
							HttpTestClient.Response predicted = http.postJson(
									"/api/v1/models/" + (n % 2 == 0 ? doomed : mine) + "/predictions",
									Map.of("rows", List.of(row)));
							statuses.add(predicted.status());
							assertThat(predicted.status()).as(predicted.body()).isIn(200, 404);
							if (predicted.status() == 404) {
								assertThat(predicted.body()).contains("urn:fitserve:problem:not-found");
								gone.set(true);
							}
						}
					}));
				}
				Thread.sleep(100);
				assertThat(http.delete("/api/v1/models/" + doomed).status()).isEqualTo(204);
				for (Future<?> client : clients) {
					client.get(1, TimeUnit.MINUTES);
				}
				// nothing keeps serving the deleted model from the cache
				assertThat(http.postJson("/api/v1/models/" + doomed + "/predictions", Map.of("rows", List.of(row)))
					.status()).isEqualTo(404);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(statuses).contains(200, 404).allMatch(s -> s == 200 || s == 404);
	}

	@Test
	@Order(3)
	void submissionsWhileShuttingDownAnswer503() {
		// the training executor stops first when the context closes, while the web server
		// still serves
		server.context().getBean("trainingExecutor", Lifecycle.class).stop();
		HttpTestClient.Response refused = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression"));
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.body()).contains("urn:fitserve:problem:service-unavailable");
		assertThat(refused.header("Retry-After")).isEqualTo("10");
		HttpTestClient.Response tuning = http.postJson("/api/v1/tuning-jobs",
				Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression", "strategy",
						"grid", "space", Map.of("C", List.of(0.1, 1.0))));
		assertThat(tuning.status()).as(tuning.body()).isEqualTo(503);
	}

	private static String trainModel(int seed) throws InterruptedException {
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression", "seed", seed));
		assertThat(submitted.status()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) submitted.json().get("id"), Duration.ofMinutes(1));
		assertThat(job.get("status")).as("job %s", job).isEqualTo("succeeded");
		return (String) job.get("modelId");
	}

}
