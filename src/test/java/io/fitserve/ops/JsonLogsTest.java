package io.fitserve.ops;

import java.util.Map;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON logs as the README documents them: {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}
 * (or {@code logging.structured.format.console=ecs}) makes each console line one ECS JSON
 * object. Starts only the logging set-up with this project's application.yml (no web
 * server, no database), so it is quick; docker/smoke.sh checks the same on the whole
 * service in a container.
 */
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsTest {

	@Configuration(proxyBeanMethods = false)
	static class Nothing {

	}

	/**
	 * Spring Boot hands the format to Logback as this system property, and it outlives
	 * the context: without this, every later test in the JVM logs JSON, where a grep for
	 * ERROR lines and their stack traces finds nothing.
	 */
	@AfterEach
	void backToPlainLines() {
		System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
	}

	@Test
	void ecsConsoleLinesAreJson(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
			.web(WebApplicationType.NONE)
			.run("--logging.structured.format.console=ecs", "--spring.main.banner-mode=off")) {
			LogFactory.getLog(JsonLogsTest.class).info("fitserve ready at http://localhost:8080 (a test line)");
		}
		String line = output.getOut()
			.lines()
			.filter(l -> l.contains("a test line"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no log line in:\n" + output.getOut()));
		@SuppressWarnings("unchecked")
		Map<String, Object> json = JsonMapper.builder().build().readValue(line, Map.class);
		assertThat(json).containsEntry("message", "fitserve ready at http://localhost:8080 (a test line)")
			.containsKey("@timestamp");
		assertThat(json.get("log").toString()).contains("level=INFO");
		assertThat(json.get("service").toString()).contains("name=fitserve");
	}

}
