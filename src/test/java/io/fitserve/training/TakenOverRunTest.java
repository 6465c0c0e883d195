package io.fitserve.training;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.fitserve.FitserveServer;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that finishes after another replica took its job over (its attempt or worker
 * changed) must leave no model behind: the model it stored is removed again, and the job
 * keeps the newer run's state. Real H2, real training.
 */
class TakenOverRunTest {

	private static final String KEY = "test-admin-key-not-a-secret-0001";

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static String base;

	private static JsonMapper json;

	@BeforeAll
	static void start() {
		base = "http://localhost:" + server.port();
		json = server.context().getBean(JsonMapper.class);
	}

	@Test
	void aRunThatLostItsJobDiscardsTheModelItStored() throws Exception {
		JobTransitions transitions = server.context().getBean(JobTransitions.class);
		JdbcTemplate jdbc = server.context().getBean(JdbcTemplate.class);
		String jobId = startLongJob();
		UUID id = UUID.fromString(jobId);
		int attempt = awaitRunning(jdbc, id);

		// a stale attempt number: another replica has taken the job over since this run
		// began
		AtomicReference<UUID> discarded = new AtomicReference<>();
		UUID stored = UUID.randomUUID();
		boolean ours = transitions.succeed(id, attempt - 1, () -> stored, discarded::set, List.of(), 5);
		assertThat(ours).isFalse();
		assertThat(discarded.get()).isEqualTo(stored);
		assertThat(status(jobId)).isEqualTo("running");

		send("POST", "/api/v1/training-jobs/" + jobId + "/cancel", null);
		long deadline = System.nanoTime() + 120_000_000_000L;
		while (status(jobId).equals("running") && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(status(jobId)).isEqualTo("cancelled");
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM trained_model WHERE job_id = ?", Long.class, id)).isZero();
	}

	private String startLongJob() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		HttpResponse<String> upload = http.send(request("/api/v1/datasets?name=iris").header("Content-Type", "text/csv")
			.POST(HttpRequest.BodyPublishers.ofByteArray(iris))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(upload.statusCode()).isEqualTo(201);
		String datasetId = (String) json.readValue(upload.body(), Map.class).get("id");
		Map<String, Object> spec = Map.of("datasetId", datasetId, "target", "species", "algorithm", "mlp",
				"hyperparameters",
				Map.of("hiddenLayers", List.of(16), "epochs", 100000, "batchSize", 1, "earlyStoppingPatience", 0));
		Map<?, ?> job = send("POST", "/api/v1/training-jobs", json.writeValueAsString(spec));
		return (String) job.get("id");
	}

	private static int awaitRunning(JdbcTemplate jdbc, UUID id) throws Exception {
		long deadline = System.nanoTime() + 120_000_000_000L;
		while (System.nanoTime() < deadline) {
			Map<String, Object> row = jdbc.queryForMap("SELECT status, attempt FROM training_job WHERE id = ?", id);
			if ("RUNNING".equalsIgnoreCase(String.valueOf(row.get("status")))) {
				return ((Number) row.get("attempt")).intValue();
			}
			Thread.sleep(50);
		}
		throw new AssertionError("job " + id + " did not start");
	}

	private String status(String jobId) throws Exception {
		return (String) send("GET", "/api/v1/training-jobs/" + jobId, null).get("status");
	}

	private Map<?, ?> send(String method, String path, String body) throws Exception {
		HttpRequest.Builder request = request(path);
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
		return json.readValue(response.body(), Map.class);
	}

	private static HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + KEY);
	}

}
