package io.fitserve;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations over real HTTP: who may read health details, info and the Prometheus scrape,
 * and that the metrics an operator graphs count what happened (a job, predictions, rows,
 * cache lookups, stored bytes).
 */
@ExtendWith(OutputCaptureExtension.class)
class OperationsTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	static HttpTestClient admin;

	static String startupOutput;

	@BeforeAll
	static void start(CapturedOutput output) {
		admin = new HttpTestClient(server.port());
		startupOutput = output.getAll();
	}

	String createKey(String role) {
		HttpTestClient.Response created = admin.postJson("/api/v1/api-keys",
				Map.of("name", "ops " + role, "role", role));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return (String) created.json().get("secret");
	}

	@Test
	void startupLineSaysWhereAndHow() {
		int port = server.port();
		assertThat(startupOutput)
			.contains("fitserve ready at http://localhost:" + port + " (dashboard http://localhost:" + port
					+ "/, Swagger UI http://localhost:" + port + "/swagger-ui.html); data "
					+ server.dataDir().toAbsolutePath().normalize() + "; database jdbc:h2:file:")
			.contains("; backend cpu (nd4j-native); training slots 1 (queue 16), OMP_NUM_THREADS=");
	}

	@Test
	void prometheusNeedsAnAdminKey() {
		assertThat(admin.withKey(null).get("/actuator/prometheus").status()).isEqualTo(401);
		assertThat(admin.withKey(createKey("trainer")).get("/actuator/prometheus").status()).isEqualTo(403);
		assertThat(admin.withKey(createKey("predictor")).get("/actuator/prometheus").status()).isEqualTo(403);
		HttpTestClient.Response scrape = admin.get("/actuator/prometheus");
		assertThat(scrape.status()).isEqualTo(200);
		assertThat(scrape.contentType()).startsWith("text/plain");
	}

	@Test
	void healthDetailsOnlyForAnAdmin() {
		HttpTestClient.Response anonymous = admin.withKey(null).get("/actuator/health");
		assertThat(anonymous.status()).isEqualTo(200);
		assertThat(anonymous.json()).containsEntry("status", "UP").doesNotContainKey("components");
		HttpTestClient.Response wrong = admin.withKey("wrong-key").get("/actuator/health");
		assertThat(wrong.status()).isEqualTo(200);
		assertThat(wrong.json()).containsEntry("status", "UP").doesNotContainKey("components");
		HttpTestClient.Response trainer = admin.withKey(createKey("trainer")).get("/actuator/health");
		assertThat(trainer.json()).containsEntry("status", "UP").doesNotContainKey("components");
		Map<String, Object> full = admin.get("/actuator/health").json();
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> components = (Map<String, Map<String, Object>>) full.get("components");
		assertThat(components).containsKeys("db", "diskSpace", "livenessState", "readinessState");
		assertThat(components.get("db").get("details").toString()).contains("H2");
		assertThat(components.get("diskSpace").get("details").toString()).contains("free=");
		assertThat(admin.withKey(null).get("/actuator/health/liveness").json()).containsEntry("status", "UP");
		assertThat(admin.withKey(null).get("/actuator/health/readiness").json()).containsEntry("status", "UP");
	}

	@Test
	void infoShowsVersionAndBackend() {
		assertThat(admin.withKey(null).get("/actuator/info").status()).isEqualTo(401);
		Map<String, Object> info = admin.get("/actuator/info").json();
		assertThat(info.get("app").toString()).contains("version=0.1.0-SNAPSHOT");
		assertThat(info.get("compute").toString()).contains("backend=cpu");
		assertThat(info.get("training").toString()).contains("nd4jBuild=cpu (nd4j-native)")
			.contains("trainingSlots=1")
			.contains("trainingThreads=" + Runtime.getRuntime().availableProcessors());
	}

	@Test
	void metricsCountJobsPredictionsAndBytes() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		HttpTestClient.Response upload = admin.upload("iris.csv", iris, null);
		assertThat(upload.status()).isEqualTo(201);
		long sizeBytes = ((Number) upload.json().get("sizeBytes")).longValue();
		HttpTestClient.Response created = admin.postJson("/api/v1/training-jobs",
				Map.of("datasetId", upload.json().get("id"), "target", "species", "algorithm", "logistic_regression"));
		assertThat(created.status()).as(created.body()).isEqualTo(202);
		Map<String, Object> job = admin.awaitJob((String) created.json().get("id"), Duration.ofMinutes(3));
		assertThat(job.get("status")).isEqualTo("succeeded");
		String model = (String) job.get("modelId");
		Map<String, Object> twoRows = Map.of("rows",
				List.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2),
						Map.of("sepal_length", 6.7, "sepal_width", 3.0, "petal_length", 5.2, "petal_width", 2.3)));
		for (int i = 0; i < 3; i++) {
			HttpTestClient.Response p = admin.postJson("/api/v1/models/" + model + "/predictions", twoRows);
			assertThat(p.status()).as(p.body()).isEqualTo(200);
		}
		// a prediction that fails (422) is not counted
		assertThat(
				admin.postJson("/api/v1/models/" + model + "/predictions", Map.of("rows", List.of(Map.of()))).status())
			.isEqualTo(422);

		String tags = "{algorithm=\"logistic_regression\",model=\"" + model + "\"}";
		String scrape = scrapeUntil("fitserve_training_jobs{status=\"succeeded\"} 1.0");
		assertThat(value(scrape, "fitserve_prediction_rows_count" + tags)).isEqualTo(3);
		assertThat(value(scrape, "fitserve_prediction_rows_sum" + tags)).isEqualTo(6);
		assertThat(value(scrape, "fitserve_prediction_rows_bucket{algorithm=\"logistic_regression\",model=\"" + model
				+ "\",le=\"1.0\"}"))
			.isEqualTo(0);
		assertThat(value(scrape, "fitserve_prediction_duration_seconds_count" + tags)).isEqualTo(3);
		assertThat(value(scrape, "fitserve_prediction_duration_seconds_sum" + tags)).isGreaterThan(0).isLessThan(10);
		assertThat(value(scrape, "fitserve_training_jobs{status=\"failed\"}")).isEqualTo(0);
		assertThat(value(scrape, "fitserve_training_jobs{status=\"queued\"}")).isEqualTo(0);
		assertThat(value(scrape, "fitserve_training_duration_seconds_count{algorithm=\"logistic_regression\"}"))
			.isEqualTo(1);
		assertThat(value(scrape, "fitserve_training_duration_seconds_count{algorithm=\"mlp\"}")).isEqualTo(0);
		assertThat(value(scrape, "fitserve_training_queue_depth")).isEqualTo(0);
		// the first prediction loaded the model (miss); the failed one and two more found
		// it cached
		assertThat(value(scrape, "cache_gets_total{cache=\"models\",result=\"miss\"}")).isEqualTo(1);
		assertThat(value(scrape, "cache_gets_total{cache=\"models\",result=\"hit\"}")).isEqualTo(3);
		assertThat(value(scrape, "cache_size{cache=\"models\"}")).isEqualTo(1);
		assertThat(value(scrape, "fitserve_datasets_stored_bytes")).isEqualTo(sizeBytes);

		// a deleted model's meters leave the registry (cardinality stays bounded by the
		// serving cache)
		assertThat(admin.delete("/api/v1/models/" + model).status()).isEqualTo(204);
		assertThat(admin.get("/actuator/prometheus").body()).doesNotContain(model);
	}

	/**
	 * Scrapes until the text appears (the jobs-by-status gauge is refreshed at most every
	 * 5 s).
	 */
	static String scrapeUntil(String expected) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (true) {
			String body = admin.get("/actuator/prometheus").body();
			if (body.contains(expected) || System.nanoTime() > deadline) {
				assertThat(body).contains(expected);
				return body;
			}
			Thread.sleep(250);
		}
	}

	/** The value of the sample with exactly this name and these labels. */
	static double value(String scrape, String sample) {
		Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
		assertThat(m.find()).as("sample %s in\n%s", sample, scrape).isTrue();
		return Double.parseDouble(m.group(1));
	}

}
