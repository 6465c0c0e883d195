package io.fitserve;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.EventStream.Event;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch predictions over real HTTP with a model really trained on iris: the result CSV is
 * the synchronous text/csv answer for the same rows; skipped and failed rows; the result
 * saved as a dataset; cancel of a queued and of a running job; the shared queue's 429;
 * problem bodies; the event stream. One slot and a queue of one, so a training job that
 * runs until cancelled holds a batch prediction in the queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchPredictionTest {

	private static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

	@TempDir
	static Path dataDir;

	private ConfigurableApplicationContext app;

	private HttpTestClient http;

	private int port;

	private String irisCsv;

	private String irisId;

	private String modelId;

	private List<String> labels;

	@BeforeAll
	@SuppressWarnings("unchecked")
	void start() throws Exception {
		Files.createDirectories(dataDir);
		app = FitserveServer.start(getClass(), this, dataDir, "--fitserve.training.max-concurrent-jobs=1",
				"--fitserve.training.queue-capacity=1", "--fitserve.batch-predictions.chunk-rows=10",
				"--fitserve.events.poll-interval=50ms");
		port = FitserveServer.port(app);
		http = new HttpTestClient(port);
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		irisCsv = new String(iris, StandardCharsets.UTF_8);
		irisId = (String) http.upload("iris.csv", iris, null).json().get("id");
		String jobId = (String) http
			.postJson("/api/v1/training-jobs",
					Map.of("datasetId", irisId, "target", "species", "algorithm", "logistic_regression"))
			.json()
			.get("id");
		Map<String, Object> job = http.awaitJob(jobId, Duration.ofMinutes(5));
		assertThat(job.get("status")).as(job.toString()).isEqualTo("succeeded");
		modelId = (String) job.get("modelId");
		labels = (List<String>) http.get("/api/v1/models/" + modelId).json().get("classLabels");
		assertThat(labels).containsExactlyInAnyOrder("setosa", "versicolor", "virginica");
	}

	@AfterAll
	void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void resultIsTheSynchronousCsvAnswerForTheSameRows() throws Exception {
		HttpTestClient.Response started = start(Map.of("datasetId", irisId));
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		Map<String, Object> queued = started.json();
		String id = (String) queued.get("id");
		assertThat(started.header("Location")).isEqualTo("/api/v1/batch-predictions/" + id);
		assertThat(queued).containsEntry("modelId", modelId)
			.containsEntry("datasetId", irisId)
			.containsEntry("status", "queued")
			.containsEntry("rowsTotal", 150)
			.containsEntry("rowsScored", 0)
			.containsEntry("rowsSkipped", 0)
			.containsEntry("progress", 0.0)
			.containsEntry("resultDatasetId", null)
			.containsEntry("error", null)
			.containsEntry("startedAt", null)
			.containsEntry("finishedAt", null);
		assertThat(HttpTestClient.<String>at(queued, "links", "self")).isEqualTo("/api/v1/batch-predictions/" + id);

		Map<String, Object> done = await(id);
		assertThat(done).containsEntry("status", "succeeded")
			.containsEntry("rowsScored", 150)
			.containsEntry("rowsSkipped", 0)
			.containsEntry("progress", 1.0)
			.containsEntry("resultDatasetId", null)
			.containsEntry("error", null);
		assertThat(done.get("startedAt")).isNotNull();
		assertThat(done.get("finishedAt")).isNotNull();
		assertThat(HttpTestClient.<String>at(done, "links", "result"))
			.isEqualTo("/api/v1/batch-predictions/" + id + "/result");

		HttpTestClient.Response result = http.get("/api/v1/batch-predictions/" + id + "/result");
		assertThat(result.status()).as(result.body()).isEqualTo(200);
		assertThat(result.contentType()).startsWith("text/csv");
		assertThat(result.header("Content-Disposition")).startsWith("attachment")
			.contains("batch-prediction-" + id + ".csv");

		// the synchronous answer for the dataset's own CSV download
		String content = http.get("/api/v1/datasets/" + irisId + "/content").body();
		HttpTestClient.Response sync = http.post("/api/v1/models/" + modelId + "/predictions", "text/csv", content);
		assertThat(sync.status()).as(sync.body()).isEqualTo(200);
		assertThat(result.body()).isEqualTo(sync.body());

		List<String> lines = result.body().lines().toList();
		assertThat(lines).hasSize(151);
		assertThat(lines.get(0)).isEqualTo(String.join(",", FEATURES) + ",species,prediction,"
				+ String.join(",", labels.stream().map(l -> "probability_" + l).toList()));
		// the input columns come first, as the dataset holds them
		assertThat(lines.get(1)).startsWith("5.1,3.5,1.4,0.2,setosa,");
		String[] first = lines.get(1).split(",");
		double sum = 0;
		for (int i = 6; i < first.length; i++) {
			sum += Double.parseDouble(first[i]);
		}
		assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));

		// newest first in the list, and by status
		HttpTestClient.Response listed = http.get("/api/v1/batch-predictions?size=1");
		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.json("items")).extracting(j -> j.get("id")).containsExactly(id);
		assertThat(http.get("/api/v1/batch-predictions?status=succeeded&size=500").json("items"))
			.extracting(j -> j.get("id"))
			.contains(id);
		assertThat(http.get("/api/v1/batch-predictions?status=failed&size=500").json("items"))
			.extracting(j -> j.get("id"))
			.doesNotContain(id);
		ApiErrorsTest.assertProblem(http.get("/api/v1/batch-predictions?status=done"), 400, "validation-error");

		// cancel after success: 409, the job unchanged
		HttpTestClient.Response cancel = http.postJson("/api/v1/batch-predictions/" + id + "/cancel", Map.of());
		ApiErrorsTest.assertProblem(cancel, 409, "conflict");
		assertThat((String) cancel.json().get("detail")).contains("succeeded");

		// delete: job and result gone
		assertThat(http.delete("/api/v1/batch-predictions/" + id).status()).isEqualTo(204);
		ApiErrorsTest.assertProblem(http.get("/api/v1/batch-predictions/" + id), 404, "not-found");
		ApiErrorsTest.assertProblem(http.get("/api/v1/batch-predictions/" + id + "/result"), 404, "not-found");
	}

	@Test
	void skipCountsBadRowsAndFailNamesTheFirst() throws Exception {
		// sepal_width holds text in two rows (lines 3 and 6 of the CSV): those rows
		// cannot be scored
		String csv = "sepal_length,sepal_width,petal_length,petal_width\n" + "5.1,3.5,1.4,0.2\n" + "4.9,abc,1.4,0.2\n"
				+ "6.7,3.0,5.2,2.3\n" + "5.9,3.0,4.2,1.5\n" + "6.3,n/a?,4.9,1.5\n" + "5.0,3.6,1.4,0.2\n";
		String datasetId = (String) http.uploadRaw(csv.getBytes(StandardCharsets.UTF_8), "text/csv", "?name=dirty")
			.json()
			.get("id");

		String skipId = (String) start(Map.of("datasetId", datasetId, "onError", "skip")).json().get("id");
		Map<String, Object> skipped = await(skipId);
		assertThat(skipped).containsEntry("status", "succeeded")
			.containsEntry("rowsTotal", 6)
			.containsEntry("rowsScored", 4)
			.containsEntry("rowsSkipped", 2)
			.containsEntry("progress", 1.0);
		String result = http.get("/api/v1/batch-predictions/" + skipId + "/result").body();
		String content = http.get("/api/v1/datasets/" + datasetId + "/content").body();
		String sync = http.post("/api/v1/models/" + modelId + "/predictions?onError=skip", "text/csv", content).body();
		// the synchronous answer lists the skipped rows in #skipped lines; the job counts
		// them instead
		List<String> syncRows = sync.lines().filter(l -> !l.startsWith("#")).toList();
		assertThat(sync.lines().filter(l -> l.startsWith("#skipped"))).hasSize(3);
		assertThat(result.lines().toList()).isEqualTo(syncRows).hasSize(5);
		assertThat(result.lines().skip(1).map(l -> l.substring(0, l.indexOf(',')))).containsExactly("5.1", "6.7", "5.9",
				"5.0");

		String failId = (String) start(Map.of("datasetId", datasetId, "onError", "fail")).json().get("id");
		Map<String, Object> failed = await(failId);
		assertThat(failed).containsEntry("status", "failed").containsEntry("resultDatasetId", null);
		assertThat(HttpTestClient.<String>at(failed, "error", "code")).isEqualTo("unprocessable-input");
		assertThat(HttpTestClient.<String>at(failed, "error", "message")).startsWith("Line 3:")
			.contains("sepal_width", "no result is kept");
		assertThat(HttpTestClient.<String>at(failed, "links", "result")).isNull();
		HttpTestClient.Response noResult = http.get("/api/v1/batch-predictions/" + failId + "/result");
		ApiErrorsTest.assertProblem(noResult, 409, "conflict");
		assertThat((String) noResult.json().get("detail")).contains("failed");
		ApiErrorsTest.assertProblem(http.postJson("/api/v1/batch-predictions/" + failId + "/cancel", Map.of()), 409,
				"conflict");
	}

	@Test
	@SuppressWarnings("unchecked")
	void saveAsDatasetStoresTheResultAsANewDataset() throws Exception {
		Map<String, Object> request = new HashMap<>();
		request.put("datasetId", irisId);
		request.put("saveAsDataset", true);
		request.put("datasetName", null);
		request.put("threshold", null);
		request.put("onError", "fail");
		Map<String, Object> done = await((String) start(request).json().get("id"));
		assertThat(done.get("status")).as(done.toString()).isEqualTo("succeeded");
		String savedId = (String) done.get("resultDatasetId");
		assertThat(savedId).isNotNull().isNotEqualTo(irisId);

		Map<String, Object> saved = http.get("/api/v1/datasets/" + savedId).json();
		assertThat(saved.get("name")).isEqualTo("iris-scored");
		assertThat(saved.get("rows")).isEqualTo(150);
		List<String> expected = new ArrayList<>(FEATURES);
		expected.add("species");
		expected.add("prediction");
		labels.forEach(l -> expected.add("probability_" + l));
		assertThat((List<Map<String, Object>>) saved.get("columns")).extracting(c -> c.get("name"))
			.containsExactlyElementsOf(expected);
		// its rows are the result's rows: the first iris row, its predicted label and
		// probabilities
		String[] first = http.get("/api/v1/batch-predictions/" + done.get("id") + "/result")
			.body()
			.lines()
			.skip(1)
			.findFirst()
			.orElseThrow()
			.split(",");
		Map<String, Object> row = HttpTestClient
			.<Map<String, Object>>at(http.get("/api/v1/datasets/" + savedId + "/rows?limit=1").json(), "rows", 0);
		assertThat(row.get("sepal_length")).isEqualTo(5.1);
		assertThat(row.get("species")).isEqualTo("setosa");
		assertThat(row.get("prediction")).isEqualTo(first[5]);
		assertThat(((Number) row.get("probability_" + labels.get(0))).doubleValue())
			.isEqualTo(Double.parseDouble(first[6]));

		Map<String, Object> named = await(
				(String) start(Map.of("datasetId", irisId, "saveAsDataset", true, "datasetName", "  iris predictions "))
					.json()
					.get("id"));
		assertThat(http.get("/api/v1/datasets/" + named.get("resultDatasetId")).json().get("name"))
			.isEqualTo("iris predictions");
	}

	@Test
	void badRequestsAreProblemsAndQueueNothing() {
		long before = totalJobs();
		String unknown = "00000000-0000-0000-0000-000000000000";
		HttpTestClient.Response noModel = http.postJson("/api/v1/models/" + unknown + "/batch-predictions",
				Map.of("datasetId", irisId));
		ApiErrorsTest.assertProblem(noModel, 404, "not-found");
		assertThat((String) noModel.json().get("detail")).contains(unknown);
		HttpTestClient.Response noDataset = start(Map.of("datasetId", unknown));
		ApiErrorsTest.assertProblem(noDataset, 404, "not-found");
		assertThat((String) noDataset.json().get("title")).contains("Dataset");

		assertField(start(Map.of()), "datasetId");
		assertField(start(Map.of("datasetId", "nope")), "datasetId");
		assertField(start(Map.of("datasetId", irisId, "onError", "ignore")), "onError");
		assertField(start(Map.of("datasetId", irisId, "datasetName", "x")), "datasetName");
		assertField(start(Map.of("datasetId", irisId, "saveAsDataset", true, "datasetName", " ")), "datasetName");
		// a threshold is for binary models; this one has three classes
		assertField(start(Map.of("datasetId", irisId, "threshold", 0.5)), "threshold");

		String partial = (String) http
			.uploadRaw("sepal_length,sepal_width,color\n5.1,3.5,red\n".getBytes(StandardCharsets.UTF_8), "text/csv",
					"?name=partial")
			.json()
			.get("id");
		HttpTestClient.Response lacks = start(Map.of("datasetId", partial));
		ApiErrorsTest.assertProblem(lacks, 422, "unprocessable-input");
		assertThat(lacks.json("errors")).extracting(e -> e.get("field")).containsExactly("petal_length", "petal_width");

		ApiErrorsTest.assertProblem(http.get("/api/v1/batch-predictions/" + unknown), 404, "not-found");
		ApiErrorsTest.assertProblem(http.get("/api/v1/batch-predictions/not-a-uuid"), 404, "not-found");
		ApiErrorsTest.assertProblem(http.postJson("/api/v1/batch-predictions/" + unknown + "/cancel", Map.of()), 404,
				"not-found");
		ApiErrorsTest.assertProblem(http.get("/api/v1/batch-predictions/" + unknown + "/result"), 404, "not-found");
		ApiErrorsTest.assertProblem(http.delete("/api/v1/batch-predictions/" + unknown), 404, "not-found");
		assertThat(totalJobs()).isEqualTo(before);
	}

	@Test
	void cancelsQueuedAndRunningJobsAndSharesTheTrainingQueue() throws Exception {
		// one slot, a queue of one: a training job that runs until cancelled holds the
		// slot
		String blocker = (String) http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", irisId, "target", "species", "algorithm", "logistic_regression", "hyperparameters",
						Map.of("optimizer", "sgd", "epochs", 100000, "batchSize", 1, "earlyStoppingPatience", 0)))
			.json()
			.get("id");
		try {
			awaitStatus("/api/v1/training-jobs/" + blocker, "running");
			HttpTestClient.Response queued = start(Map.of("datasetId", irisId));
			assertThat(queued.status()).as(queued.body()).isEqualTo(202);
			String queuedId = (String) queued.json().get("id");

			// the cluster holds as many jobs as its slots and queues, training and batch
			// predictions together
			HttpTestClient.Response full = start(Map.of("datasetId", irisId));
			ApiErrorsTest.assertProblem(full, 429, "too-many-requests");
			assertThat(full.header("Retry-After")).isEqualTo("10");

			HttpTestClient.Response cancelled = http.postJson("/api/v1/batch-predictions/" + queuedId + "/cancel",
					Map.of());
			assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
			assertThat(cancelled.json()).containsEntry("status", "cancelled").containsEntry("rowsScored", 0);
			assertThat(cancelled.json().get("finishedAt")).isNotNull();
			// idempotent
			assertThat(http.postJson("/api/v1/batch-predictions/" + queuedId + "/cancel", Map.of()).status())
				.isEqualTo(200);
			HttpTestClient.Response noResult = http.get("/api/v1/batch-predictions/" + queuedId + "/result");
			ApiErrorsTest.assertProblem(noResult, 409, "conflict");
			assertThat((String) noResult.json().get("detail")).contains("cancelled");
		}
		finally {
			http.postJson("/api/v1/training-jobs/" + blocker + "/cancel", Map.of());
			http.awaitJob(blocker, Duration.ofMinutes(2));
		}

		// a running job stops after its current chunk (10 rows here): 30000 rows are 3000
		// chunks
		StringBuilder big = new StringBuilder(String.join(",", FEATURES)).append('\n');
		List<String> irisRows = irisCsv.lines().skip(1).map(l -> l.substring(0, l.lastIndexOf(','))).toList();
		for (int i = 0; i < 30_000; i++) {
			big.append(irisRows.get(i % irisRows.size())).append('\n');
		}
		String bigId = (String) http.uploadRaw(big.toString().getBytes(StandardCharsets.UTF_8), "text/csv", "?name=big")
			.json()
			.get("id");
		String runningId = (String) start(Map.of("datasetId", bigId)).json().get("id");
		awaitStatus("/api/v1/batch-predictions/" + runningId, "running");
		HttpTestClient.Response stopping = http.postJson("/api/v1/batch-predictions/" + runningId + "/cancel",
				Map.of());
		assertThat(stopping.status()).as(stopping.body()).isEqualTo(202);
		assertThat(stopping.json().get("status")).isEqualTo("running");
		Map<String, Object> stopped = await(runningId);
		assertThat(stopped.get("status")).isEqualTo("cancelled");
		int scored = (Integer) stopped.get("rowsScored");
		assertThat(scored).isLessThan(30_000);
		assertThat(scored % 10).isZero();
		assertThat((Double) stopped.get("progress")).isEqualTo(scored / 30_000.0);
		ApiErrorsTest.assertProblem(http.get("/api/v1/batch-predictions/" + runningId + "/result"), 409, "conflict");
		// a dataset is not deleted under a job, but is once the job is over
		assertThat(http.delete("/api/v1/datasets/" + bigId).status()).isEqualTo(204);
	}

	@Test
	void eventStreamEndsWithATerminalStatus() throws Exception {
		ApiErrorsTest.assertProblem(http.get("/api/v1/batch-predictions/00000000-0000-0000-0000-000000000000/events"),
				404, "not-found");
		String id = (String) start(Map.of("datasetId", irisId)).json().get("id");
		List<Event> events = EventStream.readNamed(open("/api/v1/batch-predictions/" + id + "/events"));
		assertThat(events).isNotEmpty();
		assertThat(events.get(0).name()).isIn("status", "progress");
		Event last = events.get(events.size() - 1);
		assertThat(last.name()).isEqualTo("status");
		assertThat(last.data()).containsEntry("id", id).containsEntry("status", "succeeded");
		assertThat(last.data().get("finishedAt")).isNotNull();
		assertThat(events.stream().filter(e -> e.name().equals("status") && e.data().get("status").equals("succeeded")))
			.hasSize(1);
		List<Event> progress = events.stream().filter(e -> e.name().equals("progress")).toList();
		assertThat(progress).isNotEmpty();
		assertThat(progress.stream().map(e -> ((Number) e.data().get("progress")).doubleValue()).toList()).isSorted();
		assertThat(progress.get(progress.size() - 1).data()).containsEntry("status", "succeeded")
			.containsEntry("rowsTotal", 150)
			.containsEntry("rowsScored", 150)
			.containsEntry("rowsSkipped", 0)
			.containsEntry("progress", 1.0);

		// a late client gets the current state, then the end of the stream
		List<Event> late = EventStream.readNamed(open("/api/v1/batch-predictions/" + id + "/events"));
		assertThat(late).extracting(Event::name).containsExactly("progress", "status");
		assertThat(late.get(0).data()).containsEntry("rowsScored", 150).containsEntry("progress", 1.0);
		assertThat(late.get(1).data()).containsEntry("status", "succeeded");
	}

	@Test
	void trainersRunBatchPredictionsAndPredictorsMayNot() throws Exception {
		HttpTestClient predictor = http.withKey(createKey("batch-predictor", "predictor"));
		HttpTestClient trainer = http.withKey(createKey("batch-trainer", "trainer"));
		String path = "/api/v1/models/" + modelId + "/batch-predictions";
		ApiErrorsTest.assertProblem(predictor.postJson(path, Map.of("datasetId", irisId)), 403, "forbidden");
		ApiErrorsTest.assertProblem(predictor.get("/api/v1/batch-predictions"), 403, "forbidden");
		ApiErrorsTest.assertProblem(http.withKey(null).get("/api/v1/batch-predictions"), 401, "unauthorized");
		HttpTestClient.Response started = trainer.postJson(path, Map.of("datasetId", irisId));
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		String id = (String) started.json().get("id");
		assertThat(await(id).get("status")).isEqualTo("succeeded");
		ApiErrorsTest.assertProblem(predictor.get("/api/v1/batch-predictions/" + id + "/result"), 403, "forbidden");
		assertThat(trainer.get("/api/v1/batch-predictions/" + id + "/result").status()).isEqualTo(200);
	}

	private String createKey(String name, String role) {
		HttpTestClient.Response created = http.postJson("/api/v1/api-keys", Map.of("name", name, "role", role));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return (String) created.json().get("secret");
	}

	private HttpTestClient.Response start(Map<String, Object> body) {
		return http.postJson("/api/v1/models/" + modelId + "/batch-predictions", body);
	}

	private static void assertField(HttpTestClient.Response response, String field) {
		ApiErrorsTest.assertProblem(response, 400, "validation-error");
		assertThat(response.json("errors")).extracting(e -> e.get("field")).containsExactly(field);
	}

	private long totalJobs() {
		return ((Number) http.get("/api/v1/batch-predictions?size=1").json().get("totalItems")).longValue();
	}

	/** Polls a batch prediction until it leaves queued/running. */
	private Map<String, Object> await(String id) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (true) {
			Map<String, Object> job = http.get("/api/v1/batch-predictions/" + id).json();
			String status = (String) job.get("status");
			if (!status.equals("queued") && !status.equals("running")) {
				return job;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("batch prediction " + id + " still " + status);
			}
			Thread.sleep(50);
		}
	}

	private void awaitStatus(String path, String status) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		String now;
		while (!(now = (String) http.get(path).json().get("status")).equals(status)) {
			if (System.nanoTime() > deadline || !(now.equals("queued") || now.equals("running"))) {
				throw new AssertionError(path + " is " + now + ", not " + status);
			}
			Thread.sleep(5);
		}
	}

	private HttpResponse<InputStream> open(String path) throws Exception {
		HttpResponse<InputStream> response = EventStream.open(port, path);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
		return response;
	}

}
