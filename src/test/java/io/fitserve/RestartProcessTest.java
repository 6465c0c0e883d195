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
 * fitserve as a real separate process on one data directory: killed with SIGKILL right
 * after a 202, then stopped with SIGTERM while training. Every acknowledged dataset and
 * job is still there after each restart, and every job runs to the end.
 */
class RestartProcessTest {

	/**
	 * Long enough to be mid-training when the process is stopped, short enough to finish
	 * after.
	 */
	private static final Map<String, Object> LONG_JOB_HYPERPARAMETERS = Map.of("hiddenLayers", List.of(32), "epochs",
			400, "batchSize", 1, "earlyStoppingPatience", 0);

	@TempDir
	Path dataDir;

	private final List<ServiceProcess> processes = new ArrayList<>();

	@AfterEach
	void stopProcesses() throws InterruptedException {
		for (ServiceProcess process : processes) {
			process.kill();
			process.waitFor(30);
		}
	}

	@Test
	void acknowledgedJobsSurviveKillAndSigterm() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();

		// 1. kill -9 right after the 202s: a running job and a queued one
		ServiceProcess first = start("first");
		HttpTestClient http = first.client();
		HttpTestClient.Response upload = http.upload("iris.csv", iris, null);
		assertThat(upload.status()).isEqualTo(201);
		String datasetId = (String) upload.json().get("id");
		String running = submitLongJob(http, datasetId);
		awaitTraining(http, running);
		List<String> queued = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
					Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression", "seed", i));
			assertThat(submitted.status()).isEqualTo(202);
			queued.add((String) submitted.json().get("id"));
		}
		first.kill();
		assertThat(first.waitFor(60)).isTrue();

		// 2. the next start runs them all again: the running one as attempt 2
		ServiceProcess second = start("second");
		http = second.client();
		assertThat(http.get("/api/v1/datasets/" + datasetId).status()).isEqualTo(200);
		for (String id : queued) {
			assertThat(http.get("/api/v1/training-jobs/" + id).status()).as("acknowledged job %s kept", id)
				.isEqualTo(200);
		}
		Map<String, Object> resumed = http.awaitJob(running, Duration.ofMinutes(3));
		assertThat(resumed.get("status")).as("job %s", resumed).isEqualTo("succeeded");
		assertThat(resumed.get("attempt")).isEqualTo(2);
		for (String id : queued) {
			Map<String, Object> job = http.awaitJob(id, Duration.ofMinutes(1));
			assertThat(job.get("status")).as("job %s", job).isEqualTo("succeeded");
			assertThat(job.get("attempt")).isEqualTo(1);
		}

		// 3. SIGTERM while training: the job goes back to the queue and the process exits
		String interrupted = submitLongJob(http, datasetId);
		awaitTraining(http, interrupted);
		second.terminate();
		assertThat(second.waitFor(60)).as("exited after SIGTERM").isTrue();
		assertThat(second.output()).contains("Training job " + interrupted + " stopped by the shutdown");

		// 4. and runs at the next start; a graceful stop does not use up an attempt
		ServiceProcess third = start("third");
		http = third.client();
		Map<String, Object> afterSigterm = http.awaitJob(interrupted, Duration.ofMinutes(3));
		assertThat(afterSigterm.get("status")).as("job %s", afterSigterm).isEqualTo("succeeded");
		assertThat(afterSigterm.get("attempt")).isEqualTo(1);
		assertThat(http.get("/api/v1/training-jobs?size=100").body()).contains(running, interrupted, queued.get(0),
				queued.get(1), queued.get(2));
		third.terminate();
		assertThat(third.waitFor(60)).isTrue();
	}

	private static String submitLongJob(HttpTestClient http, String datasetId) {
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs", Map.of("datasetId", datasetId,
				"target", "species", "algorithm", "mlp", "hyperparameters", LONG_JOB_HYPERPARAMETERS));
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		return (String) submitted.json().get("id");
	}

	/** Waits until the job is running and has finished at least one epoch. */
	private static void awaitTraining(HttpTestClient http, String jobId) throws InterruptedException {
		for (int i = 0; i < 1200; i++) {
			Map<String, Object> job = http.get("/api/v1/training-jobs/" + jobId).json();
			Integer epoch = HttpTestClient.at(job, "progress", "epoch");
			if ("running".equals(job.get("status")) && epoch != null && epoch >= 1) {
				return;
			}
			assertThat(job.get("status")).as("job %s", job).isIn("queued", "running");
			Thread.sleep(50);
		}
		throw new AssertionError("job " + jobId + " never started training");
	}

	private ServiceProcess start(String name) throws IOException, InterruptedException {
		ServiceProcess process = ServiceProcess.start(this, dataDir, name);
		processes.add(process);
		return process;
	}

}
