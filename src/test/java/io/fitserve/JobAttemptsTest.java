package io.fitserve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What start-up does with jobs a dead process left running: run them again as their next
 * attempt, fail them once fitserve.training.max-attempts runs were cut short, cancel them
 * if asked to.
 */
class JobAttemptsTest {

	@TempDir
	Path dataDir;

	@Test
	void jobsLeftRunningAreRetriedUpToMaxAttempts() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		String exhausted;
		String retried;
		String cancelled;
		String searchRetried;
		String searchExhausted;
		try (ConfigurableApplicationContext app = start()) {
			HttpTestClient http = FitserveServer.client(app);
			String datasetId = (String) http.upload("iris.csv", iris, null).json().get("id");
			exhausted = train(http, datasetId, 1);
			retried = train(http, datasetId, 2);
			cancelled = train(http, datasetId, 3);
			// as a process killed mid-training leaves them (on their 2nd, 1st and 1st
			// attempt)
			JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
			String running = "UPDATE training_job SET status = 'RUNNING', model_id = NULL, finished_at = NULL, "
					+ "attempt = ?, cancel_requested = ? WHERE id = CAST(? AS UUID)";
			jdbc.update(running, 2, false, exhausted);
			jdbc.update(running, 1, false, retried);
			jdbc.update(running, 1, true, cancelled);

			// hyperparameter searches get the same treatment
			searchRetried = search(http, datasetId);
			searchExhausted = search(http, datasetId);
			String runningSearch = "UPDATE tuning_job SET status = 'RUNNING', best_model_id = NULL, finished_at = NULL, "
					+ "attempt = ? WHERE id = CAST(? AS UUID)";
			jdbc.update(runningSearch, 1, searchRetried);
			jdbc.update(runningSearch, 2, searchExhausted);
		}
		try (ConfigurableApplicationContext app = start()) {
			HttpTestClient http = FitserveServer.client(app);
			Map<String, Object> failed = http.get("/api/v1/training-jobs/" + exhausted).json();
			assertThat(failed.get("status")).isEqualTo("failed");
			assertThat(failed.get("attempt")).isEqualTo(2);
			assertThat(HttpTestClient.<String>at(failed, "error", "type"))
				.isEqualTo("urn:fitserve:problem:attempts-exhausted");
			assertThat(HttpTestClient.<String>at(failed, "error", "detail")).contains("fitserve.training.max-attempts")
				.doesNotContain("Exception");

			Map<String, Object> again = http.awaitJob(retried, Duration.ofMinutes(1));
			assertThat(again.get("status")).isEqualTo("succeeded");
			assertThat(again.get("attempt")).isEqualTo(2);

			assertThat(http.get("/api/v1/training-jobs/" + cancelled).json().get("status")).isEqualTo("cancelled");

			Map<String, Object> search = awaitSearch(http, searchRetried);
			assertThat(search.get("status")).as("search %s", search).isEqualTo("succeeded");
			assertThat(search.get("attempt")).isEqualTo(2);
			assertThat(search.get("bestModelId")).isNotNull();
			Map<String, Object> exhaustedSearch = http.get("/api/v1/tuning-jobs/" + searchExhausted).json();
			assertThat(exhaustedSearch.get("status")).isEqualTo("failed");
			assertThat(HttpTestClient.<String>at(exhaustedSearch, "error", "type"))
				.isEqualTo("urn:fitserve:problem:attempts-exhausted");
		}
	}

	private static String search(HttpTestClient http, String datasetId) throws InterruptedException {
		HttpTestClient.Response submitted = http.postJson("/api/v1/tuning-jobs",
				Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression", "strategy",
						"grid", "space", Map.of("C", java.util.List.of(0.1, 1.0)), "folds", 2));
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		String id = (String) submitted.json().get("id");
		assertThat(awaitSearch(http, id).get("status")).isEqualTo("succeeded");
		return id;
	}

	private static Map<String, Object> awaitSearch(HttpTestClient http, String id) throws InterruptedException {
		for (int i = 0; i < 1200; i++) {
			Map<String, Object> job = http.get("/api/v1/tuning-jobs/" + id).json();
			if (!"queued".equals(job.get("status")) && !"running".equals(job.get("status"))) {
				return job;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("search " + id + " did not finish");
	}

	private static String train(HttpTestClient http, String datasetId, int seed) throws InterruptedException {
		String id = (String) http
			.postJson("/api/v1/training-jobs",
					Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression", "seed",
							seed))
			.json()
			.get("id");
		assertThat(http.awaitJob(id, Duration.ofMinutes(1)).get("status")).isEqualTo("succeeded");
		return id;
	}

	private ConfigurableApplicationContext start() throws Exception {
		Files.createDirectories(dataDir);
		return FitserveServer.start(getClass(), this, dataDir, "--fitserve.training.max-attempts=2");
	}

}
