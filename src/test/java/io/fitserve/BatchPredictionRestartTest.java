package io.fitserve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
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
 * Batch predictions in fitserve as a real separate process on one data directory (as
 * {@link RestartProcessTest} does for training jobs): killed with SIGKILL in the middle
 * of a batch prediction, the next start runs it again to a complete result; stopped with
 * SIGTERM in the middle of one, it goes back to the queue and the next start finishes it.
 */
class BatchPredictionRestartTest {

	private static final int ROWS = 30_000;

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
	void aBatchPredictionCutShortRunsAgainToACompleteResult() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		ServiceProcess first = start("first");
		HttpTestClient http = first.client();
		String irisId = (String) http.upload("iris.csv", iris, null).json().get("id");
		Map<String, Object> trained = http.awaitJob((String) http
			.postJson("/api/v1/training-jobs",
					Map.of("datasetId", irisId, "target", "species", "algorithm", "logistic_regression"))
			.json()
			.get("id"), Duration.ofMinutes(3));
		assertThat(trained.get("status")).as(trained.toString()).isEqualTo("succeeded");
		String modelId = (String) trained.get("modelId");
		// 30000 rows scored 10 at a time: 3000 chunks, each with its progress write
		String bigId = (String) http.uploadRaw(featureRows(iris, ROWS), "text/csv", "?name=big").json().get("id");

		// 1. kill -9 while the job is scoring
		String killed = submit(http, modelId, bigId);
		awaitScoring(http, killed);
		first.kill();
		assertThat(first.waitFor(60)).isTrue();

		// 2. the next start runs it again from the start, to the whole result
		ServiceProcess second = start("second");
		http = second.client();
		Map<String, Object> resumed = await(http, killed);
		assertThat(resumed).containsEntry("status", "succeeded")
			.containsEntry("rowsTotal", ROWS)
			.containsEntry("rowsScored", ROWS)
			.containsEntry("rowsSkipped", 0);
		String result = http.get("/api/v1/batch-predictions/" + killed + "/result").body();
		String content = http.get("/api/v1/datasets/" + bigId + "/content").body();
		assertThat(result)
			.isEqualTo(http.post("/api/v1/models/" + modelId + "/predictions", "text/csv", content).body());
		assertThat(result.lines()).hasSize(ROWS + 1);
		// the killed run's temporary file was swept at the start; only the complete
		// result is stored
		try (var files = Files.list(dataDir.resolve("batch-predictions"))) {
			assertThat(files.map(f -> f.getFileName().toString())).containsExactly(killed + ".csv.fsr");
		}

		// 3. SIGTERM while scoring: back to the queue, and the process exits
		String stopped = submit(http, modelId, bigId);
		awaitScoring(http, stopped);
		second.terminate();
		assertThat(second.waitFor(60)).as("exited after SIGTERM").isTrue();
		assertThat(second.output()).contains("Batch prediction " + stopped + " stopped by the shutdown");

		// 4. the next start finishes it
		ServiceProcess third = start("third");
		http = third.client();
		Map<String, Object> finished = await(http, stopped);
		assertThat(finished).containsEntry("status", "succeeded").containsEntry("rowsScored", ROWS);
		assertThat(http.get("/api/v1/batch-predictions/" + stopped + "/result").body()).isEqualTo(result);
		third.terminate();
		assertThat(third.waitFor(60)).isTrue();
	}

	private static String submit(HttpTestClient http, String modelId, String datasetId) {
		HttpTestClient.Response submitted = http.postJson("/api/v1/models/" + modelId + "/batch-predictions",
				Map.of("datasetId", datasetId));
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		return (String) submitted.json().get("id");
	}

	/** Waits until the job is running and has written progress for at least one chunk. */
	private static void awaitScoring(HttpTestClient http, String id) throws InterruptedException {
		for (int i = 0; i < 6000; i++) {
			Map<String, Object> job = http.get("/api/v1/batch-predictions/" + id).json();
			if ("running".equals(job.get("status")) && ((Number) job.get("rowsScored")).intValue() > 0) {
				return;
			}
			assertThat(job.get("status")).as("job %s", job).isIn("queued", "running");
			Thread.sleep(10);
		}
		throw new AssertionError("batch prediction " + id + " never started scoring");
	}

	private static Map<String, Object> await(HttpTestClient http, String id) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (true) {
			Map<String, Object> job = http.get("/api/v1/batch-predictions/" + id).json();
			if (!job.get("status").equals("queued") && !job.get("status").equals("running")) {
				return job;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("batch prediction " + id + " still " + job.get("status"));
			}
			Thread.sleep(100);
		}
	}

	private ServiceProcess start(String name) throws IOException, InterruptedException {
		ServiceProcess process = ServiceProcess.start(this, dataDir, name,
				"--fitserve.batch-predictions.chunk-rows=10");
		processes.add(process);
		return process;
	}

	/**
	 * The iris CSV's feature columns (the label dropped), its rows repeated until there
	 * are n.
	 */
	static byte[] featureRows(byte[] iris, int n) {
		StringBuilder csv = new StringBuilder("sepal_length,sepal_width,petal_length,petal_width\n");
		List<String> rows = new String(iris, StandardCharsets.UTF_8).lines()
			.skip(1)
			.map(l -> l.substring(0, l.lastIndexOf(',')))
			.toList();
		for (int i = 0; i < n; i++) {
			csv.append(rows.get(i % rows.size())).append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

}
