package io.fitserve;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch predictions on two fitserve processes sharing one PostgreSQL database and one
 * data directory (as {@link ReplicasOnPostgresTest} for training jobs): a batch
 * prediction submitted to the replica whose slot a training job holds runs on the other
 * one, and its result is served by both; after a kill -9 of the replica scoring a batch
 * prediction, the survivor runs it again and serves the complete result. Heartbeats are 1
 * s, dead after 4 missed.
 */
class BatchPredictionReplicasOnPostgresTest {

	private static final int ROWS = 30_000;

	@TempDir
	Path dataDir;

	private final List<ServiceProcess> processes = new ArrayList<>();

	@AfterEach
	void stopProcesses() throws InterruptedException {
		for (ServiceProcess process : processes) {
			process.terminate();
		}
		for (ServiceProcess process : processes) {
			if (!process.waitFor(30)) {
				process.kill();
			}
		}
	}

	@Test
	void aBatchPredictionSpillsToTheFreeReplicaAndSurvivesItsDeath() throws Exception {
		HttpTestClient a = start("replica-a");
		HttpTestClient b = start("replica-b");
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		String irisId = (String) a.upload("iris.csv", iris, null).json().get("id");
		Map<String, Object> trained = b.awaitJob((String) a
			.postJson("/api/v1/training-jobs",
					Map.of("datasetId", irisId, "target", "species", "algorithm", "logistic_regression"))
			.json()
			.get("id"), Duration.ofMinutes(3));
		assertThat(trained.get("status")).as(trained.toString()).isEqualTo("succeeded");
		String modelId = (String) trained.get("modelId");
		String bigId = (String) a.uploadRaw(BatchPredictionRestartTest.featureRows(iris, ROWS), "text/csv", "?name=big")
			.json()
			.get("id");

		// a training job that runs until cancelled holds one replica's only slot
		String blocker = (String) a.postJson("/api/v1/training-jobs",
				Map.of("datasetId", irisId, "target", "species", "algorithm", "logistic_regression", "hyperparameters",
						Map.of("optimizer", "sgd", "epochs", 100000, "batchSize", 1, "earlyStoppingPatience", 0)))
			.json()
			.get("id");
		String busy = awaitTrainingWorker(a, blocker);
		HttpTestClient busyReplica = "replica-a".equals(busy) ? a : b;
		HttpTestClient freeReplica = busyReplica == a ? b : a;
		ServiceProcess freeProcess = processes.get(busyReplica == a ? 1 : 0);

		// submitted to the busy replica, it runs on the free one; the busy one serves its
		// result from the shared data directory
		String small = submit(busyReplica, modelId, irisId);
		Map<String, Object> done = await(busyReplica, small);
		assertThat(done).containsEntry("status", "succeeded").containsEntry("rowsScored", 150);
		String irisContent = busyReplica.get("/api/v1/datasets/" + irisId + "/content").body();
		String expected = busyReplica.post("/api/v1/models/" + modelId + "/predictions", "text/csv", irisContent)
			.body();
		assertThat(busyReplica.get("/api/v1/batch-predictions/" + small + "/result").body()).isEqualTo(expected);
		assertThat(freeReplica.get("/api/v1/batch-predictions/" + small + "/result").body()).isEqualTo(expected);

		// kill -9 of the replica scoring a batch prediction; once the survivor's slot is
		// free it runs it again
		String scoring = submit(busyReplica, modelId, bigId);
		awaitScoring(busyReplica, scoring);
		freeProcess.kill();
		assertThat(freeProcess.waitFor(30)).isTrue();
		assertThat(busyReplica.postJson("/api/v1/training-jobs/" + blocker + "/cancel", Map.of()).status())
			.isEqualTo(202);
		Map<String, Object> finished = await(busyReplica, scoring);
		assertThat(finished).containsEntry("status", "succeeded")
			.containsEntry("rowsTotal", ROWS)
			.containsEntry("rowsScored", ROWS)
			.containsEntry("rowsSkipped", 0);
		String bigContent = busyReplica.get("/api/v1/datasets/" + bigId + "/content").body();
		assertThat(busyReplica.get("/api/v1/batch-predictions/" + scoring + "/result").body())
			.isEqualTo(busyReplica.post("/api/v1/models/" + modelId + "/predictions", "text/csv", bigContent).body());
	}

	/**
	 * Submits, retrying a 429 as a client should: the cluster is at its capacity (one job
	 * in each replica's slot, no queue) until a finished job's execution row is removed,
	 * and a replica whose heartbeat is late on a loaded machine briefly does not count.
	 */
	private static String submit(HttpTestClient http, String modelId, String datasetId) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		HttpTestClient.Response submitted;
		while ((submitted = http.postJson("/api/v1/models/" + modelId + "/batch-predictions",
				Map.of("datasetId", datasetId)))
			.status() == 429 && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		return (String) submitted.json().get("id");
	}

	private static String awaitTrainingWorker(HttpTestClient http, String jobId) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (true) {
			Map<String, Object> job = http.get("/api/v1/training-jobs/" + jobId).json();
			if ("running".equals(job.get("status"))) {
				return (String) job.get("worker");
			}
			assertThat(job.get("status")).as("job %s", job).isEqualTo("queued");
			assertThat(System.nanoTime()).as("job %s never ran", job).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private static void awaitScoring(HttpTestClient http, String id) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (true) {
			Map<String, Object> job = http.get("/api/v1/batch-predictions/" + id).json();
			if ("running".equals(job.get("status")) && ((Number) job.get("rowsScored")).intValue() > 0) {
				return;
			}
			assertThat(job.get("status")).as("job %s", job).isIn("queued", "running");
			assertThat(System.nanoTime()).as("job %s never scored", job).isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	private static Map<String, Object> await(HttpTestClient http, String id) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (true) {
			Map<String, Object> job = http.get("/api/v1/batch-predictions/" + id).json();
			if (!job.get("status").equals("queued") && !job.get("status").equals("running")) {
				return job;
			}
			assertThat(System.nanoTime()).as("job %s never finished", job).isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	private HttpTestClient start(String name) throws IOException, InterruptedException {
		ServiceProcess process = ServiceProcess.start(this, dataDir, name, "--fitserve.cluster.replica-name=" + name,
				"--fitserve.training.queue-capacity=0", "--fitserve.batch-predictions.chunk-rows=10",
				"--db-scheduler.heartbeat-interval=1s", "--db-scheduler.missed-heartbeats-limit=4",
				"--db-scheduler.polling-interval=500ms");
		processes.add(process);
		return process.client();
	}

}
