package io.fitserve;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import io.fitserve.EventStream.Event;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live job events over real HTTP: a running job's progress, epochs and final status; a
 * finished job's final state; a tuning job's trials, heartbeats and best model.
 */
class JobEventsTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dataDir;

	@Test
	@SuppressWarnings("unchecked")
	void streamsProgressEpochsAndFinalStatus() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		try (ConfigurableApplicationContext app = start()) {
			int port = FitserveServer.port(app);
			HttpTestClient http = new HttpTestClient(port);
			String datasetId = (String) http.upload("iris.csv", iris, null).json().get("id");

			assertThat(EventStream.open(port, "/api/v1/training-jobs/00000000-0000-0000-0000-000000000000/events")
				.statusCode()).isEqualTo(404);
			assertThat(EventStream.open(port, "/api/v1/tuning-jobs/00000000-0000-0000-0000-000000000000/events")
				.statusCode()).isEqualTo(404);

			// per-row SGD for many epochs: several seconds of training, one epoch record
			// each; one stage (a refit would be a second one whose epochs count from 1
			// again, as the folds of a cross-validated job do)
			String jobId = (String) http
				.postJson("/api/v1/training-jobs", Map.of("datasetId", datasetId, "target", "species", "algorithm",
						"logistic_regression", "hyperparameters", Map.of("optimizer", "sgd", "learningRate", 0.01,
								"epochs", 200, "batchSize", 1, "earlyStoppingPatience", 0),
						"refit", false))
				.json()
				.get("id");
			HttpResponse<InputStream> live = EventStream.open(port, "/api/v1/training-jobs/" + jobId + "/events");
			assertThat(live.statusCode()).isEqualTo(200);
			assertThat(live.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
			CompletableFuture<List<Event>> reading = CompletableFuture.supplyAsync(() -> EventStream.readAll(live));

			// fitserve.events.max-streams is 1 in this test: a second stream is refused
			// while the first is open
			HttpResponse<InputStream> refused = EventStream.open(port, "/api/v1/training-jobs/" + jobId + "/events");
			assertThat(refused.statusCode()).isEqualTo(429);
			assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
			refused.body().close();

			List<Event> events = reading.get(5, TimeUnit.MINUTES).stream().filter(e -> !e.name().equals(":")).toList();
			assertThat(events).isNotEmpty();
			assertThat(events.get(0).name()).isIn("status", "progress");
			Event last = events.get(events.size() - 1);
			assertThat(last.name()).isEqualTo("status");
			assertThat(last.data().get("status")).isEqualTo("succeeded");
			assertThat(last.data().get("modelId")).isNotNull();
			assertThat(events.stream()
				.filter(e -> e.name().equals("status"))
				.filter(e -> e.data().get("status").equals("succeeded"))).hasSize(1);

			List<Integer> epochs = events.stream()
				.filter(e -> e.name().equals("epoch"))
				.map(e -> ((Number) e.data().get("epoch")).intValue())
				.toList();
			assertThat(epochs).isNotEmpty();
			assertThat(epochs).isSorted().doesNotHaveDuplicates();
			assertThat(epochs.get(epochs.size() - 1)).isEqualTo(200);
			// an epoch event carries that epoch's loss as the job's history has it
			List<Map<String, Object>> history = JSON
				.readValue(http.get("/api/v1/training-jobs/" + jobId + "/history").body(), List.class);
			Event lastEpoch = events.stream().filter(e -> e.name().equals("epoch")).reduce((a, b) -> b).orElseThrow();
			assertThat(lastEpoch.data().get("trainLoss")).isEqualTo(history.get(199).get("trainLoss"));

			List<Event> progress = events.stream().filter(e -> e.name().equals("progress")).toList();
			assertThat(progress).isNotEmpty();
			Event finalProgress = progress.get(progress.size() - 1);
			assertThat(finalProgress.data().get("status")).isEqualTo("succeeded");
			assertThat(finalProgress.data().get("epoch")).isEqualTo(200);
			assertThat(finalProgress.data().get("epochs")).isEqualTo(200);
			assertThat(((Number) finalProgress.data().get("fraction")).doubleValue()).isEqualTo(1.0);
			assertThat(finalProgress.data()).containsKeys("trainLoss", "etaMs");
			List<Double> fractions = progress.stream()
				.map(e -> ((Number) e.data().get("fraction")).doubleValue())
				.toList();
			assertThat(fractions).isSorted();

			// a finished job: exactly its final state, then the end of the stream (and,
			// at max-streams 1, proof that the first stream gave its slot back)
			HttpResponse<InputStream> late = EventStream.open(port, "/api/v1/training-jobs/" + jobId + "/events");
			assertThat(late.statusCode()).isEqualTo(200);
			List<Event> after = EventStream.readAll(late).stream().filter(e -> !e.name().equals(":")).toList();
			assertThat(after).extracting(Event::name).containsExactly("progress", "status");
			assertThat(after.get(0).data().get("epoch")).isEqualTo(200);
			assertThat(after.get(0).data().get("fraction")).isEqualTo(1.0);
			assertThat(after.get(0).data().get("trainLoss")).isEqualTo(finalProgress.data().get("trainLoss"));
			assertThat(after.get(1).data()).containsEntry("status", "succeeded")
				.containsEntry("modelId", last.data().get("modelId"));

			// a tuning job queued behind a long training job (one slot): its stream
			// starts with status queued and sends heartbeat comments (every 200 ms here)
			// while nothing changes; then trial by trial to the best model
			String blockerId = (String) http
				.postJson(
						"/api/v1/training-jobs", Map.of("datasetId", datasetId, "target", "species", "algorithm",
								"logistic_regression", "hyperparameters", Map.of("optimizer", "sgd", "epochs", 100000,
										"batchSize", 1, "earlyStoppingPatience", 0)))
				.json()
				.get("id");
			for (int i = 0; i < 600
					&& !"running".equals(http.get("/api/v1/training-jobs/" + blockerId).json().get("status")); i++) {
				Thread.sleep(100);
			}
			String tuningId = (String) http
				.postJson("/api/v1/tuning-jobs",
						Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression",
								"strategy", "grid", "space", Map.of("C", List.of(0.1, 1.0)), "folds", 2))
				.json()
				.get("id");
			HttpResponse<InputStream> tuningStream = EventStream.open(port,
					"/api/v1/tuning-jobs/" + tuningId + "/events");
			assertThat(tuningStream.statusCode()).isEqualTo(200);
			java.util.concurrent.CountDownLatch heartbeat = new java.util.concurrent.CountDownLatch(1);
			CompletableFuture<List<Event>> tuningReading = CompletableFuture
				.supplyAsync(() -> EventStream.readAll(tuningStream, heartbeat::countDown));
			assertThat(heartbeat.await(2, TimeUnit.MINUTES)).isTrue();
			assertThat(http.postJson("/api/v1/training-jobs/" + blockerId + "/cancel", Map.of()).status()).isIn(200,
					202);
			List<Event> tuningEvents = tuningReading.get(5, TimeUnit.MINUTES);
			assertThat(tuningEvents.get(0).name()).isEqualTo("status");
			assertThat(tuningEvents.get(0).data().get("status")).isEqualTo("queued");
			assertThat(tuningEvents).anyMatch(e -> e.name().equals(":") && e.data().get("comment").equals("heartbeat"));
			List<Event> tuningNamed = tuningEvents.stream().filter(e -> !e.name().equals(":")).toList();
			Event tuningLast = tuningNamed.get(tuningNamed.size() - 1);
			assertThat(tuningLast.name()).isEqualTo("status");
			assertThat(tuningLast.data().get("status")).isEqualTo("succeeded");
			assertThat(tuningLast.data().get("bestModelId"))
				.isEqualTo(http.get("/api/v1/tuning-jobs/" + tuningId).json().get("bestModelId"))
				.isNotNull();
			Event tuningProgress = tuningNamed.stream()
				.filter(e -> e.name().equals("progress"))
				.reduce((a, b) -> b)
				.orElseThrow();
			assertThat(tuningProgress.data()).containsEntry("status", "succeeded")
				.containsEntry("trial", 2)
				.containsEntry("trials", 2)
				.containsEntry("fraction", 1.0);
			assertThat(tuningNamed).noneMatch(e -> e.name().equals("epoch"));
		}
	}

	@Test
	void shutdownEndsOpenStreamsPromptly() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		ConfigurableApplicationContext app = start();
		CompletableFuture<List<Event>> reading;
		try {
			int port = FitserveServer.port(app);
			HttpTestClient http = new HttpTestClient(port);
			String datasetId = (String) http.upload("iris.csv", iris, null).json().get("id");
			String jobId = (String) http
				.postJson(
						"/api/v1/training-jobs", Map.of("datasetId", datasetId, "target", "species", "algorithm",
								"logistic_regression", "hyperparameters", Map.of("optimizer", "sgd", "epochs", 100000,
										"batchSize", 1, "earlyStoppingPatience", 0)))
				.json()
				.get("id");
			HttpResponse<InputStream> live = EventStream.open(port, "/api/v1/training-jobs/" + jobId + "/events");
			assertThat(live.statusCode()).isEqualTo(200);
			reading = CompletableFuture.supplyAsync(() -> EventStream.readAll(live));
			for (int i = 0; i < 600
					&& !"running".equals(http.get("/api/v1/training-jobs/" + jobId).json().get("status")); i++) {
				Thread.sleep(100);
			}
		}
		finally {
			long start = System.nanoTime();
			app.close();
			// graceful shutdown would wait spring.lifecycle.timeout-per-shutdown-phase
			// (30 s) for an open stream
			assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(25);
		}
		List<Event> events = reading.get(10, TimeUnit.SECONDS);
		assertThat(events).anyMatch(e -> e.name().equals("progress"));
	}

	private ConfigurableApplicationContext start() throws Exception {
		Files.createDirectories(dataDir);
		return FitserveServer.start(getClass(), this, dataDir, "--fitserve.events.max-streams=1",
				"--fitserve.events.heartbeat-interval=200ms");
	}

}
