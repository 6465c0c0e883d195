package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's walk-through block, as written, with bash and curl against a running
 * service whose admin key was generated into its data directory (as on a first
 * {@code ./mvnw spring-boot:run}), so that the walk-through cannot rot.
 */
class ReadmeWalkthroughTest {

	@TempDir
	Path dataDir;

	static String walkthrough() throws Exception {
		String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
		int start = readme.indexOf("<!-- walkthrough:start");
		int end = readme.indexOf("<!-- walkthrough:end -->");
		assertThat(start).as("walk-through markers in README.md").isNotNegative();
		String block = readme.substring(start, end);
		return block.substring(block.indexOf("```sh\n") + 6, block.lastIndexOf("```"));
	}

	@Test
	void theReadmeWalkthroughRunsAsWritten() throws Exception {
		String script = walkthrough();
		assertThat(script).contains("admin.key").contains("src/test/resources/datasets/iris.csv");
		assertThat(Path.of("src/test/resources/datasets/iris.csv")).exists();
		try (ConfigurableApplicationContext app = FitserveServer.builder()
			.run(FitserveServer.arguments(dataDir, "--fitserve.security.admin-key="))) {
			String port = app.getEnvironment().getProperty("local.server.port");
			// -e as a careful reader would run it: any failed step (curl -f, a missing
			// field) stops the script
			ProcessBuilder bash = new ProcessBuilder("bash", "-e", "-c", script).redirectErrorStream(true);
			bash.environment().put("FITSERVE_URL", "http://localhost:" + port);
			bash.environment().put("FITSERVE_DATA_DIR", dataDir.toAbsolutePath().toString());
			Process process = bash.start();
			boolean finished = process.waitFor(3, TimeUnit.MINUTES);
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(finished).as(output).isTrue();
			assertThat(process.exitValue()).as(output).isZero();

			List<String> lines = output.lines().toList();
			assertThat(lines).anySatisfy(line -> assertThat(line).matches("job [0-9a-f-]{36}: succeeded"));
			assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("200 epochs, last:"));
			assertThat(lines).anySatisfy(
					line -> assertThat(line).startsWith("logistic_regression ['setosa', 'versicolor', 'virginica']"));
			@SuppressWarnings("unchecked")
			Map<String, Object> predictions = JsonMapper.builder()
				.build()
				.readValue(lines.get(lines.size() - 1), Map.class);
			assertThat(HttpTestClient.<String>at(predictions, "predictions", 0, "label")).isEqualTo("setosa");
			assertThat(HttpTestClient.<List<Object>>at(predictions, "predictions")).hasSize(2);
		}
	}

}
