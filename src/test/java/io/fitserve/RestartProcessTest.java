package io.fitserve;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fitserve as a real separate process on one data directory: killed with SIGKILL right after a
 * 202, then stopped with SIGTERM while training. Every acknowledged dataset and job is still
 * there after each restart, and every job runs to the end.
 */
class RestartProcessTest {

	/** Long enough to be mid-training when the process is stopped, short enough to finish after. */
	private static final Map<String, Object> LONG_JOB_HYPERPARAMETERS = Map.of("hiddenLayers", List.of(32),
			"epochs", 80, "batchSize", 1, "earlyStoppingPatience", 0);

	@TempDir
	Path dataDir;

	private final List<Process> processes = new ArrayList<>();

	private final Map<Process, Integer> ports = new HashMap<>();

	@AfterEach
	void stopProcesses() throws InterruptedException {
		for (Process process : processes) {
			process.destroyForcibly();
			process.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void acknowledgedJobsSurviveKillAndSigterm() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();

		// 1. kill -9 right after the 202s: a running job and a queued one
		Process first = start("first");
		HttpTestClient http = client(first);
		HttpTestClient.Response upload = http.upload("iris.csv", iris, null);
		assertThat(upload.status()).isEqualTo(201);
		String datasetId = (String) upload.json().get("id");
		String running = submitLongJob(http, datasetId);
		awaitTraining(http, running);
		List<String> queued = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs", Map.of("datasetId", datasetId,
					"target", "species", "algorithm", "logistic_regression", "seed", i));
			assertThat(submitted.status()).isEqualTo(202);
			queued.add((String) submitted.json().get("id"));
		}
		first.destroyForcibly();
		assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();

		// 2. the next start runs them all again: the running one as attempt 2
		Process second = start("second");
		http = client(second);
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
		second.destroy();
		assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
		assertThat(Files.readString(dataDir.resolve("second.log"))).contains("Training job " + interrupted
				+ " stopped by the shutdown");

		// 4. and runs at the next start; a graceful stop does not use up an attempt
		Process third = start("third");
		http = client(third);
		Map<String, Object> afterSigterm = http.awaitJob(interrupted, Duration.ofMinutes(3));
		assertThat(afterSigterm.get("status")).as("job %s", afterSigterm).isEqualTo("succeeded");
		assertThat(afterSigterm.get("attempt")).isEqualTo(1);
		assertThat(http.get("/api/v1/training-jobs?size=100").body()).contains(running, interrupted, queued.get(0),
				queued.get(1), queued.get(2));
		third.destroy();
		assertThat(third.waitFor(60, TimeUnit.SECONDS)).isTrue();
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

	private Process start(String name) throws IOException, InterruptedException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				FitserveApplication.class.getName(), "--server.port=" + port,
				"--fitserve.storage.data-dir=" + dataDir.toAbsolutePath()));
		command.addAll(TestDatabase.args(getClass(), this));
		ProcessBuilder builder = new ProcessBuilder(command)
			.redirectErrorStream(true)
			.redirectOutput(dataDir.resolve(name + ".log").toFile());
		builder.environment().put("FITSERVE_ADMIN_KEY", System.getProperty("FITSERVE_ADMIN_KEY", ""));
		Process process = builder.start();
		processes.add(process);
		HttpTestClient http = new HttpTestClient(port);
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new AssertionError("fitserve exited at start-up:\n" + Files.readString(dataDir.resolve(name + ".log")));
			}
			if (http.isUp()) {
				ports.put(process, port);
				return process;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("fitserve did not start within 5 minutes:\n" + Files.readString(dataDir.resolve(name + ".log")));
	}

	private HttpTestClient client(Process process) {
		return new HttpTestClient(ports.get(process));
	}

}
