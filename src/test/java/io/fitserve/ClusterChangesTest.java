package io.fitserve;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What another replica does reaches this one through the database alone, within the
 * documented bounds: a cancel recorded only in the job's row stops the running trainer
 * within fitserve.cluster.cancel-check-interval (plus a batch), and a model whose rows
 * were deleted stops serving from the cache within fitserve.cluster.model-check-interval.
 * The other replica is played by SQL on the shared database, exactly what fitserve's own
 * cancel and delete commit there.
 */
class ClusterChangesTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.cluster.cancel-check-interval=500ms",
			"--fitserve.cluster.model-check-interval=1s", "--fitserve.cluster.replica-name=replica-a",
			// Hibernate counts the queries it runs (on H2 and PostgreSQL alike), without
			// logging each session's figures
			"--spring.jpa.properties.hibernate.generate_statistics=true",
			"--logging.level.org.hibernate.engine.internal.StatisticalLoggingSessionEventListener=WARN");

	static HttpTestClient http;

	static JdbcTemplate jdbc;

	static String datasetId;

	/** A prediction request of one iris row. */
	static final Map<String, Object> IRIS_ROW = Map.of("rows",
			List.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2)));

	@BeforeAll
	static void start() throws Exception {
		http = server.http();
		jdbc = server.context().getBean(JdbcTemplate.class);
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		HttpTestClient.Response upload = http.upload("iris.csv", iris, null);
		assertThat(upload.status()).isEqualTo(201);
		datasetId = (String) upload.json().get("id");
	}

	@Test
	void aCancelRecordedByAnotherReplicaStopsTheTrainer() throws Exception {
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs", Map.of("datasetId", datasetId,
				"target", "species", "algorithm", "mlp", "hyperparameters",
				Map.of("hiddenLayers", List.of(32), "epochs", 100000, "batchSize", 1, "earlyStoppingPatience", 0)));
		assertThat(submitted.status()).isEqualTo(202);
		String jobId = (String) submitted.json().get("id");
		long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		while (!"running".equals(http.get("/api/v1/training-jobs/" + jobId).json().get("status"))) {
			assertThat(System.nanoTime()).as("job never ran").isLessThan(deadline);
			Thread.sleep(20);
		}
		// what POST .../cancel on another replica commits for a running job
		long cancelled = System.nanoTime();
		assertThat(jdbc.update("UPDATE training_job SET cancel_requested = TRUE, version = version + 1 WHERE id = ?",
				UUID.fromString(jobId)))
			.isEqualTo(1);
		Map<String, Object> job = http.awaitJob(jobId, Duration.ofSeconds(30));
		long millis = (System.nanoTime() - cancelled) / 1_000_000;
		System.out.println("cancel through the database: job ended " + job.get("status") + " " + millis + " ms after "
				+ "the row was flagged (fitserve.cluster.cancel-check-interval=500ms)");
		assertThat(job.get("status")).as("job %s", job).isEqualTo("cancelled");
		assertThat(millis).isLessThan(10_000);
	}

	@Test
	void aModelDeletedByAnotherReplicaStopsServing() throws Exception {
		Map<String, Object> job = trainedModel();
		assertThat(job.get("worker")).as("the replica that ran it").isEqualTo("replica-a");
		String modelId = (String) job.get("modelId");
		Map<String, Object> request = IRIS_ROW;
		assertThat(http.postJson("/api/v1/models/" + modelId + "/predictions", request).status()).isEqualTo(200);

		// what DELETE /api/v1/models/{id} on another replica commits (its artifact file
		// stays until that replica removes it, so this replica could otherwise serve it
		// from its cache forever)
		long deleted = System.nanoTime();
		jdbc.update("DELETE FROM model_evaluation WHERE model_id = ?", UUID.fromString(modelId));
		assertThat(jdbc.update("DELETE FROM trained_model WHERE id = ?", UUID.fromString(modelId))).isEqualTo(1);
		int status;
		do {
			status = http.postJson("/api/v1/models/" + modelId + "/predictions", request).status();
			Thread.sleep(20);
		}
		while (status == 200 && System.nanoTime() - deleted < Duration.ofSeconds(10).toNanos());
		long millis = (System.nanoTime() - deleted) / 1_000_000;
		System.out.println("model deleted through the database: 404 here after " + millis
				+ " ms (fitserve.cluster.model-check-interval=1s)");
		assertThat(status).isEqualTo(404);
		assertThat(millis).isLessThan(3_000);
	}

	@Test
	void concurrentRequestsCheckAnExpiredModelOnce() throws Exception {
		String path = "/api/v1/models/" + trainedModel().get("modelId") + "/predictions";
		Map<String, Object> request = IRIS_ROW;
		// cached, and checked when loaded
		assertThat(http.postJson(path, request).status()).isEqualTo(200);
		long before = existenceChecks();
		// past fitserve.cluster.model-check-interval (1s): the next request checks the
		// row
		Thread.sleep(1_300);
		int threads = 16;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
		try {
			java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
			List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
			for (int t = 0; t < threads; t++) {
				statuses.add(pool.submit(() -> {
					start.await();
					return http.postJson(path, request).status();
				}));
			}
			start.countDown();
			for (java.util.concurrent.Future<Integer> status : statuses) {
				assertThat(status.get()).isEqualTo(200);
			}
		}
		finally {
			pool.shutdownNow();
		}
		// one request claimed the check; the others were answered from the cache (before,
		// every request that came while the check ran queried the row too)
		assertThat(existenceChecks() - before).isEqualTo(1);
	}

	/** The job of a logistic regression model trained here on iris, succeeded. */
	private static Map<String, Object> trainedModel() throws InterruptedException {
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression"));
		assertThat(submitted.status()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) submitted.json().get("id"), Duration.ofMinutes(1));
		assertThat(job.get("status")).as("job %s", job).isEqualTo("succeeded");
		return job;
	}

	/**
	 * Executions of the model row's existence query (Spring Data's existsById, a count
	 * query), as Hibernate's statistics count them.
	 */
	private static long existenceChecks() {
		org.hibernate.stat.Statistics statistics = server.context()
			.getBean(jakarta.persistence.EntityManagerFactory.class)
			.unwrap(org.hibernate.SessionFactory.class)
			.getStatistics();
		long count = 0;
		for (String query : statistics.getQueries()) {
			String q = query.toLowerCase(java.util.Locale.ROOT);
			if (q.contains("count(") && q.contains("trainedmodel")) {
				count += statistics.getQueryStatistics(query).getExecutionCount();
			}
		}
		return count;
	}

}
