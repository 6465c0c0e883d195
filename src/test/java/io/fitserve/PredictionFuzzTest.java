package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Any bytes sent as a prediction body to a trained model are answered with a 200 holding
 * one prediction per row, or with a 4xx problem: never a 5xx, never an exception escaping
 * the MVC layer. Drives the real application (Jackson with its limits, the security
 * filter chain, the exception handlers) through MockMvc, against a binary logistic
 * regression over a numeric and a categorical feature.
 * <p>
 * In {@code ./mvnw verify} this runs only over the seed corpus in
 * {@code src/test/resources/io/fitserve/PredictionFuzzTestInputs/anyBody/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see README, "Fuzzing").
 */
class PredictionFuzzTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static Path dataDir;

	static ConfigurableApplicationContext app;

	static MockMvc mvc;

	static String path;

	/**
	 * Started on the first input rather than in {@code @BeforeAll}, so that when fuzzing
	 * the application's classes load after Jazzer's agent and are instrumented for
	 * coverage.
	 */
	static synchronized void start() throws Exception {
		if (app != null) {
			return;
		}
		dataDir = Files.createTempDirectory("prediction-fuzz-");
		app = FitserveServer.builder()
			.run(FitserveServer.arguments(dataDir, "--fitserve.prediction.max-rows=1000", "--logging.level.root=WARN"));
		HttpTestClient http = FitserveServer.client(app);
		HttpTestClient.Response upload = http.uploadRaw(HostileInputTest.CSV.getBytes(StandardCharsets.UTF_8),
				"text/csv", "?name=fuzz");
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		HttpTestClient.Response job = http.post("/api/v1/training-jobs", "application/json",
				"{\"datasetId\": \"" + upload.json().get("id") + "\", \"target\": \"label\", "
						+ "\"algorithm\": \"logistic_regression\", \"testFraction\": 0.0}");
		assertThat(job.status()).as(job.body()).isEqualTo(202);
		Map<String, Object> done = http.awaitJob((String) job.json().get("id"), Duration.ofSeconds(60));
		assertThat(done.get("status")).as(done.toString()).isEqualTo("succeeded");
		path = "/api/v1/models/" + done.get("modelId") + "/predictions";
		mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) app).apply(springSecurity()).build();
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
			app = null;
		}
	}

	/**
	 * No JUnit {@code @Timeout}: when fuzzing it would bound the whole run, not one
	 * input; the per-input limit is libFuzzer's {@code -timeout} (see README, "Fuzzing").
	 */
	@FuzzTest(maxDuration = "5m")
	void anyBody(byte[] body) throws Exception {
		if (body.length > 64 << 10) {
			return;
		}
		start();
		MockHttpServletResponse response = mvc
			.perform(post(path).contentType(MediaType.APPLICATION_JSON)
				.header("Authorization", "Bearer " + HttpTestClient.ADMIN_KEY)
				.content(body))
			.andReturn()
			.getResponse();
		int status = response.getStatus();
		String answer = response.getContentAsString(StandardCharsets.UTF_8);
		if (status == 200) {
			// it parsed, so a plain reader sees the same rows
			int rows = ((List<?>) JSON.readValue(body, Map.class).get("rows")).size();
			Map<?, ?> json = JSON.readValue(answer, Map.class);
			assertThat((List<?>) json.get("predictions")).as(answer).hasSize(rows);
			return;
		}
		assertThat(status).as(answer).isBetween(400, 499);
		assertThat(response.getContentType()).as(answer).startsWith("application/problem+json");
		Map<?, ?> problem = JSON.readValue(answer, Map.class);
		assertThat((String) problem.get("type")).as(answer).startsWith("urn:fitserve:problem:");
		assertThat(((Number) problem.get("status")).intValue()).isEqualTo(status);
		assertThat(answer).doesNotContain("Exception", "java.", "tools.jackson", "springframework");
	}

}
