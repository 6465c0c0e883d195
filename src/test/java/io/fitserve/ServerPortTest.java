package io.fitserve;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways the README's "Choosing the port" gives to change the port, read through the
 * real application.yml ({@code server.port: ${PORT:8080}}): --server.port beats
 * SERVER_PORT, which beats PORT, which beats 8080.
 */
class ServerPortTest {

	/**
	 * Nothing but configuration: application.yml and the environment, no beans of
	 * fitserve's.
	 */
	@Configuration(proxyBeanMethods = false)
	static class NoBeans {

	}

	static String port(Map<String, Object> environmentVariables, String... args) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environmentVariables));
		SpringApplication application = new SpringApplication(NoBeans.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(environment);
		application.setLogStartupInfo(false);
		try (ConfigurableApplicationContext context = application.run(args)) {
			return context.getEnvironment().getProperty("server.port");
		}
	}

	@Test
	void portIs8080ByDefault() {
		assertThat(port(Map.of())).isEqualTo("8080");
	}

	@Test
	void portEnvironmentVariableSetsIt() {
		assertThat(port(Map.of("PORT", "9090"))).isEqualTo("9090");
	}

	@Test
	void serverPortEnvironmentVariableSetsItAndBeatsPort() {
		assertThat(port(Map.of("SERVER_PORT", "9090"))).isEqualTo("9090");
		assertThat(port(Map.of("SERVER_PORT", "9090", "PORT", "7070"))).isEqualTo("9090");
	}

	@Test
	void commandLineArgumentBeatsBoth() {
		// what ./mvnw spring-boot:run -Dspring-boot.run.arguments=--server.port=9091 and
		// java -jar ... pass
		assertThat(port(Map.of("SERVER_PORT", "9090", "PORT", "7070"), "--server.port=9091")).isEqualTo("9091");
	}

}
