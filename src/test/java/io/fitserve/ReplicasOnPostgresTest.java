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
 * Two fitserve processes on loopback, one PostgreSQL database and one shared data
 * directory, over real HTTP: jobs spread over both (a job submitted to a busy replica
 * runs on the free one), the cluster's capacity is the sum of the replicas' slots and
 * queues (429 when full), both serve every model with identical predictions, a cancel
 * sent to one replica stops the job running on the other, a model deleted through one is
 * 404 on the other within fitserve.cluster.model-check-interval, and after a kill -9 of
 * the replica running a job the other one runs it again (its next attempt) and finishes
 * it. Heartbeats are set to seconds here (1 s, dead after 4 missed).
 */
class ReplicasOnPostgresTest {

	private static final Duration MODEL_CHECK = Duration.ofSeconds(2);

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
	void twoReplicasShareJobsModelsCancelsAndDeletes() throws Exception {
		// both replicas are up before any job exists (a replica that starts re-queues the
		// running jobs it finds)
		HttpTestClient a = start("replica-a");
		HttpTestClient b = start("replica-b");

		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		HttpTestClient.Response upload = a.upload("iris.csv", iris, null);
		assertThat(upload.status()).isEqualTo(201);
		String datasetId = (String) upload.json().get("id");
		assertThat(b.get("/api/v1/datasets/" + datasetId).status()).isEqualTo(200);

		// each replica runs what it receives
		Map<String, Object> spec = Map.of("datasetId", datasetId, "target", "species", "algorithm",
				"logistic_regression");
		String jobOnA = (String) a.postJson("/api/v1/training-jobs", spec).json().get("id");
		String jobOnB = (String) b.postJson("/api/v1/training-jobs", spec).json().get("id");
		Map<String, Object> doneOnA = b.awaitJob(jobOnA, Duration.ofMinutes(2));
		Map<String, Object> doneOnB = a.awaitJob(jobOnB, Duration.ofMinutes(2));
		assertThat(doneOnA.get("status")).as("job %s", doneOnA).isEqualTo("succeeded");
		assertThat(doneOnB.get("status")).as("job %s", doneOnB).isEqualTo("succeeded");
		assertThat(doneOnA.get("worker")).isIn("replica-a", "replica-b");
		assertThat(doneOnB.get("worker")).isIn("replica-a", "replica-b");

		// a model trained on B answers on both, identically
		String modelId = (String) doneOnB.get("modelId");
		Map<String, Object> request = Map.of("rows",
				List.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2),
						Map.of("sepal_length", 7.7, "sepal_width", 3.0, "petal_length", 6.1, "petal_width", 2.3)));
		HttpTestClient.Response predictedOnA = a.postJson("/api/v1/models/" + modelId + "/predictions", request);
		HttpTestClient.Response predictedOnB = b.postJson("/api/v1/models/" + modelId + "/predictions", request);
		assertThat(predictedOnA.status()).as(predictedOnA.body()).isEqualTo(200);
		assertThat(predictedOnB.status()).as(predictedOnB.body()).isEqualTo(200);
		assertThat(predictedOnA.json()).isEqualTo(predictedOnB.json());

		// a cancel sent to B stops the job training on A
		String longJob = (String) a
			.postJson("/api/v1/training-jobs",
					Map.of("datasetId", datasetId, "target", "species", "algorithm", "mlp", "hyperparameters", Map
						.of("hiddenLayers", List.of(32), "epochs", 100000, "batchSize", 1, "earlyStoppingPatience", 0)))
			.json()
			.get("id");
		Map<String, Object> runningLong = awaitRunning(b, longJob, 1);
		String longWorker = (String) runningLong.get("worker");
		HttpTestClient other = "replica-a".equals(longWorker) ? b : a;
		long cancelled = System.nanoTime();
		assertThat(other.postJson("/api/v1/training-jobs/" + longJob + "/cancel", Map.of()).status()).isEqualTo(202);
		Map<String, Object> afterCancel = other.awaitJob(longJob, Duration.ofSeconds(30));
		long cancelMillis = (System.nanoTime() - cancelled) / 1_000_000;
		assertThat(afterCancel.get("status")).as("job %s", afterCancel).isEqualTo("cancelled");
		assertThat(afterCancel.get("worker")).isEqualTo(longWorker);

		// a model deleted through A stops serving on B within the model check interval
		assertThat(a.delete("/api/v1/models/" + modelId).status()).isEqualTo(204);
		long deleted = System.nanoTime();
		int status;
		do {
			status = b.postJson("/api/v1/models/" + modelId + "/predictions", request).status();
			Thread.sleep(20);
		}
		while (status == 200 && System.nanoTime() - deleted < Duration.ofSeconds(20).toNanos());
		long deleteMillis = (System.nanoTime() - deleted) / 1_000_000;
		assertThat(status).isEqualTo(404);
		assertThat(deleteMillis).isLessThan(MODEL_CHECK.toMillis() + 2_000);
		System.out.println("two replicas: a cancel through one replica stopped the job on the other after "
				+ cancelMillis + " ms (cancel-check-interval 500ms); a model deleted through A was 404 on B after "
				+ deleteMillis + " ms (model-check-interval " + MODEL_CHECK.toMillis() + " ms)");

		// jobs spread: with one replica's one slot busy, a job submitted to it runs on
		// the other; the cluster (2 slots, no queue) is then full, and says 429 through
		// either replica
		Map<String, Object> slow = Map.of("datasetId", datasetId, "target", "species", "algorithm", "mlp",
				"hyperparameters",
				Map.of("hiddenLayers", List.of(16), "epochs", 1500, "batchSize", 1, "earlyStoppingPatience", 0));
		String first = (String) a.postJson("/api/v1/training-jobs", slow).json().get("id");
		String busy = (String) awaitRunning(a, first, 1).get("worker");
		String free = "replica-a".equals(busy) ? "replica-b" : "replica-a";
		HttpTestClient busyReplica = "replica-a".equals(busy) ? a : b;
		HttpTestClient survivor = busyReplica == a ? b : a;
		String spilled = (String) busyReplica.postJson("/api/v1/training-jobs", slow).json().get("id");
		assertThat(awaitRunning(a, spilled, 1).get("worker")).isEqualTo(free);
		for (HttpTestClient replica : List.of(a, b)) {
			HttpTestClient.Response full = replica.postJson("/api/v1/training-jobs", slow);
			assertThat(full.status()).as(full.body()).isEqualTo(429);
			assertThat(full.header("Retry-After")).isEqualTo("10");
		}
		assertThat(a.postJson("/api/v1/training-jobs/" + spilled + "/cancel", Map.of()).status()).isEqualTo(202);
		assertThat(a.awaitJob(spilled, Duration.ofSeconds(30)).get("status")).isEqualTo("cancelled");

		// kill -9 of the replica training the first job: the other takes it over as its
		// second attempt and finishes it
		ServiceProcess victim = processes.get("replica-a".equals(busy) ? 0 : 1);
		victim.kill();
		long killed = System.nanoTime();
		victim.waitFor(30);
		Map<String, Object> again = awaitRunning(survivor, first, 2);
		long failoverMillis = (System.nanoTime() - killed) / 1_000_000;
		assertThat(again.get("worker")).isEqualTo(free);
		Map<String, Object> finished = survivor.awaitJob(first, Duration.ofMinutes(3));
		assertThat(finished.get("status")).as("job %s", finished).isEqualTo("succeeded");
		assertThat(finished.get("attempt")).isEqualTo(2);
		assertThat(finished.get("worker")).isEqualTo(free);
		HttpTestClient.Response predicted = survivor
			.postJson("/api/v1/models/" + finished.get("modelId") + "/predictions", request);
		assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
		assertThat(HttpTestClient.<Object>at(predicted.json(), "predictions", 0, "label")).isEqualTo("setosa");
		System.out.println("two replicas: after kill -9 of " + busy + " its job ran again on " + free + " after "
				+ failoverMillis + " ms (heartbeat 1 s, dead after 4 missed heartbeats) and succeeded");
	}

	/** Waits until the job runs its attempt {@code attempt}; returns the job. */
	private static Map<String, Object> awaitRunning(HttpTestClient http, String jobId, int attempt)
			throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		while (true) {
			Map<String, Object> job = http.get("/api/v1/training-jobs/" + jobId).json();
			if ("running".equals(job.get("status")) && Integer.valueOf(attempt).equals(job.get("attempt"))) {
				return job;
			}
			assertThat(job.get("status")).as("job %s", job).isIn("queued", "running");
			assertThat(System.nanoTime()).as("job %s never ran attempt %d", job, attempt).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private HttpTestClient start(String name) throws IOException, InterruptedException {
		ServiceProcess process = ServiceProcess.start(this, dataDir, name, "--fitserve.cluster.replica-name=" + name,
				"--fitserve.cluster.cancel-check-interval=500ms", "--fitserve.training.queue-capacity=0",
				"--db-scheduler.heartbeat-interval=1s", "--db-scheduler.missed-heartbeats-limit=4",
				"--db-scheduler.polling-interval=500ms",
				"--fitserve.cluster.model-check-interval=" + MODEL_CHECK.toMillis() + "ms");
		processes.add(process);
		return process.client();
	}

}
