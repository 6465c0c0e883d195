package io.fitserve;

import io.fitserve.models.ModelService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: permutation importance leaves the training job's critical path. Without a
 * refit the job succeeds and the model serves as soon as it is stored; the importance
 * follows (importanceStatus pending, then ready) with the values the job used to compute
 * itself (those of the same job with a refit, which still computes them before saving:
 * the same evaluated fit, seed and rows). A model left pending by a process that died
 * keeps its dataset and gets its importance at the next start.
 */
class ImportanceAfterSaveTest {

	@TempDir
	Path dataDir;

	private ConfigurableApplicationContext app;

	@AfterEach
	void stop() {
		if (app != null) {
			app.close();
		}
	}

	/**
	 * y from a noisy logistic model of x1 (strong), x2 (weak), color (one-hot); noise
	 * unused.
	 */
	static String csv() {
		Random random = new Random(5);
		String[] colors = { "red", "green", "blue" };
		StringBuilder csv = new StringBuilder("x1,x2,noise,color,y\n");
		for (int i = 0; i < 400; i++) {
			double x1 = random.nextGaussian() * 2 + 1;
			double x2 = random.nextGaussian();
			double noise = random.nextGaussian() * 5;
			int color = random.nextInt(3);
			double logit = 1.8 * (x1 - 1) + 0.5 * x2 + (color == 2 ? 1.2 : 0) + random.nextGaussian() * 0.5;
			csv.append(x1)
				.append(',')
				.append(x2)
				.append(',')
				.append(noise)
				.append(',')
				.append(colors[color])
				.append(',')
				.append(logit > 0 ? "yes" : "no")
				.append('\n');
		}
		return csv.toString();
	}

	@Test
	void importanceFollowsTheStoredModelAndSurvivesARestart() throws Exception {
		app = FitserveServer.start(getClass(), this, dataDir);
		HttpTestClient http = FitserveServer.client(app);
		String datasetId = (String) http.upload("colors.csv", csv().getBytes(StandardCharsets.UTF_8), null)
			.json()
			.get("id");

		// the reference: with a refit the job computes the importance before it saves
		Map<String, Object> withRefit = train(http, datasetId, true);
		assertThat(withRefit.get("importanceStatus")).isEqualTo("ready");
		Map<String, Object> reference = awaitImportance(http, (String) withRefit.get("id"));
		assertThat(reference.get("status")).isEqualTo("ready");
		Map<String, Object> permutation = section(reference, "permutation");
		assertThat(permutation).containsEntry("split", "test").containsEntry("rows", 100).containsEntry("repeats", 5);
		List<Map<String, Object>> features = features(permutation);
		assertThat(features).extracting(f -> f.get("feature")).containsExactlyInAnyOrder("x1", "x2", "noise", "color");
		// most important first: x1 drives the labels
		assertThat(features.get(0).get("feature")).isEqualTo("x1");
		assertThat(((Number) features.get(0).get("mean")).doubleValue()).isGreaterThan(0.1);

		// without a refit: the model is stored (and serves) before its importance is
		Map<String, Object> model = train(http, datasetId, false);
		String modelId = (String) model.get("id");
		assertThat(model.get("importanceStatus")).isIn("pending", "ready");
		assertThat(http
			.postJson("/api/v1/models/" + modelId + "/predictions",
					Map.of("rows", List.of(Map.of("x1", 3.0, "x2", 0.0, "noise", 1.0, "color", "red"))))
			.status()).isEqualTo(200);
		Map<String, Object> later = awaitImportance(http, modelId);
		assertThat(later.get("status")).isEqualTo("ready");
		assertThat(later.get("error")).isNull();
		// the same values as computed synchronously before, first in the report, then the
		// coefficients stored with the model
		assertThat(section(later, "permutation")).isEqualTo(permutation);
		assertThat(List.copyOf(later.keySet())).containsExactly("permutation", "standardizedCoefficients", "status");
		assertThat(http.get("/api/v1/models/" + modelId).json().get("importanceStatus")).isEqualTo("ready");

		// the process dies after storing the model, before its importance: the row as
		// TrainingRunner stored it
		JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
		String stored = jdbc.queryForObject("SELECT feature_importance_json FROM trained_model WHERE id = ?",
				String.class, java.util.UUID.fromString(modelId));
		Map<String, Object> withoutPermutation = new HashMap<>(
				io.fitserve.support.Json.read(stored, new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
				}));
		withoutPermutation.remove("permutation");
		assertThat(jdbc.update(
				"UPDATE trained_model SET importance_status = 'pending', feature_importance_json = ? WHERE id = ?",
				io.fitserve.support.Json.write(withoutPermutation), java.util.UUID.fromString(modelId)))
			.isEqualTo(1);
		Map<String, Object> pending = http.get("/api/v1/models/" + modelId + "/feature-importance").json();
		assertThat(pending.get("status")).isEqualTo("pending");
		assertThat(pending).doesNotContainKey("permutation").containsKey("standardizedCoefficients");
		// the dataset is still needed to compute it
		HttpTestClient.Response refused = http.delete("/api/v1/datasets/" + datasetId);
		assertThat(refused.status()).isEqualTo(409);
		assertThat((String) refused.json().get("detail")).contains("permutation importance is still being computed");
		app.close();
		app = null;

		// the next start computes it: the same values again
		app = FitserveServer.start(getClass(), this, dataDir);
		http = FitserveServer.client(app);
		Map<String, Object> recovered = awaitImportance(http, modelId);
		assertThat(recovered.get("status")).isEqualTo("ready");
		assertThat(section(recovered, "permutation")).isEqualTo(permutation);
		assertThat(recovered).isEqualTo(later);
		assertThat(http.delete("/api/v1/models/" + modelId).status()).isEqualTo(204);
		assertThat(http.delete("/api/v1/models/" + withRefit.get("id")).status()).isEqualTo(204);
		assertThat(http.delete("/api/v1/datasets/" + datasetId).status()).isEqualTo(204);
	}

	/**
	 * The importance yields to training: while another job runs on the replica it waits
	 * (the model stays pending though computing it takes milliseconds), and it is
	 * computed as soon as that job ends.
	 */
	@Test
	void importanceWaitsWhileAnotherTrainingJobRuns() throws Exception {
		app = FitserveServer.start(getClass(), this, dataDir);
		HttpTestClient http = FitserveServer.client(app);
		String datasetId = (String) http.upload("colors.csv", csv().getBytes(StandardCharsets.UTF_8), null)
			.json()
			.get("id");
		// a job holding a slot of the executor the way a running training job does
		io.fitserve.training.TrainingExecutor executor = app.getBean(io.fitserve.training.TrainingExecutor.class);
		java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		Thread other = new Thread(() -> executor.running(() -> {
			entered.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		other.start();
		try {
			assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			Map<String, Object> model = train(http, datasetId, false);
			String modelId = (String) model.get("id");
			// 400 rows: computed within milliseconds when nothing else trains
			Thread.sleep(1500);
			Map<String, Object> waiting = http.get("/api/v1/models/" + modelId + "/feature-importance").json();
			assertThat(waiting.get("status")).isEqualTo("pending");
			assertThat(waiting).doesNotContainKey("permutation");
			release.countDown();
			long released = System.nanoTime();
			Map<String, Object> ready = awaitImportance(http, modelId);
			assertThat(ready.get("status")).isEqualTo("ready");
			assertThat(section(ready, "permutation")).containsEntry("rows", 100).containsEntry("repeats", 5);
			// well before the longest wait (30 s): it followed the other job's end
			assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofSeconds(20));
		}
		finally {
			release.countDown();
			other.join();
		}
	}

	/**
	 * Trains, then returns the model (GET /models/{id}) right after the job succeeded.
	 */
	/**
	 * A model deleted while its importance is being stored: the delete commits between
	 * the store's read of the model and its update (the importance's JSON holds a value
	 * whose serialization waits for the delete). The store is no error, the delete
	 * stands.
	 */
	@Test
	void aModelDeletedWhileItsImportanceIsStoredIsNoError() throws Exception {
		app = FitserveServer.start(getClass(), this, dataDir);
		HttpTestClient http = FitserveServer.client(app);
		String datasetId = (String) http.upload("colors.csv", csv().getBytes(StandardCharsets.UTF_8), null)
			.json()
			.get("id");
		String modelId = (String) train(http, datasetId, false).get("id");
		assertThat(awaitImportance(http, modelId).get("status")).isEqualTo("ready");
		UUID id = UUID.fromString(modelId);
		assertThat(app.getBean(JdbcTemplate.class)
			.update("UPDATE trained_model SET importance_status = 'pending' WHERE id = ?", id)).isEqualTo(1);
		CountDownLatch writing = new CountDownLatch(1);
		CountDownLatch deleted = new CountDownLatch(1);
		Map<String, Object> permutation = Map.of("waitsForTheDelete", new WaitsForTheDelete(writing, deleted));
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			Future<Boolean> stored = thread
				.submit(() -> app.getBean(ModelService.class).importanceComputed(id, permutation));
			assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(http.delete("/api/v1/models/" + modelId).status()).isEqualTo(204);
			deleted.countDown();
			assertThat(stored.get(30, TimeUnit.SECONDS)).isFalse();
		}
		finally {
			deleted.countDown();
			thread.shutdownNow();
		}
		assertThat(http.get("/api/v1/models/" + modelId).status()).isEqualTo(404);
		// a model that is still there but no longer pending: nothing to store, no error
		String other = (String) train(http, datasetId, false).get("id");
		assertThat(awaitImportance(http, other).get("status")).isEqualTo("ready");
		assertThat(app.getBean(ModelService.class).importanceComputed(UUID.fromString(other), Map.of())).isFalse();
	}

	/** Serialized as {"value": 0.5}, once the delete was let through. */
	public static final class WaitsForTheDelete {

		private final CountDownLatch writing;

		private final CountDownLatch deleted;

		WaitsForTheDelete(CountDownLatch writing, CountDownLatch deleted) {
			this.writing = writing;
			this.deleted = deleted;
		}

		public double getValue() throws InterruptedException {
			this.writing.countDown();
			this.deleted.await(30, TimeUnit.SECONDS);
			return 0.5;
		}

	}

	private static Map<String, Object> train(HttpTestClient http, String datasetId, boolean refit)
			throws InterruptedException {
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", "y", "algorithm", "logistic_regression", "testFraction", 0.25,
						"validationFraction", 0.1, "refit", refit, "seed", 7));
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) submitted.json().get("id"), Duration.ofMinutes(2));
		assertThat(job.get("status")).as(job.toString()).isEqualTo("succeeded");
		return http.get("/api/v1/models/" + job.get("modelId")).json();
	}

	private static Map<String, Object> awaitImportance(HttpTestClient http, String modelId)
			throws InterruptedException {
		for (int i = 0; i < 600; i++) {
			Map<String, Object> report = http.get("/api/v1/models/" + modelId + "/feature-importance").json();
			if (!"pending".equals(report.get("status"))) {
				return report;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("the importance of model " + modelId + " is still pending");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> section(Map<String, Object> report, String name) {
		return (Map<String, Object>) report.get(name);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> features(Map<String, Object> permutation) {
		return (List<Map<String, Object>>) permutation.get("features");
	}

}
