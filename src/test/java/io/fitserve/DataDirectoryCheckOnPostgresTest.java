package io.fitserve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The data-directory check on a shared PostgreSQL: replicas starting together on a new
 * database and one shared data directory all start (only the one that applied the first
 * migration counts the database as new, while the others wait on Flyway's lock), and a
 * database whose tables were dropped while the files remain is refused.
 */
class DataDirectoryCheckOnPostgresTest {

	@TempDir
	Path dataDir;

	@Test
	void replicasStartTogetherAndAnEmptiedDatabaseIsRefused() throws Exception {
		Files.createDirectories(dataDir);
		// two contexts in one JVM share its logging system, which is not safe to
		// initialise from two threads at once: the second start waits until the first has
		// set up logging (ApplicationPreparedEvent), then both refresh, and so migrate,
		// concurrently
		java.util.concurrent.CountDownLatch loggingReady = new java.util.concurrent.CountDownLatch(1);
		CompletableFuture<ConfigurableApplicationContext> first = CompletableFuture
			.supplyAsync(() -> start(loggingReady));
		CompletableFuture<ConfigurableApplicationContext> second = CompletableFuture.supplyAsync(() -> {
			try {
				loggingReady.await(2, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return start();
		});
		try (ConfigurableApplicationContext a = first.get(3, TimeUnit.MINUTES);
				ConfigurableApplicationContext b = second.get(3, TimeUnit.MINUTES)) {
			byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
			HttpTestClient.Response upload = FitserveServer.client(a).upload("iris.csv", iris, null);
			assertThat(upload.status()).isEqualTo(201);
			String id = (String) upload.json().get("id");
			assertThat(FitserveServer.client(b).get("/api/v1/datasets/" + id).status()).as("seen by the other replica")
				.isEqualTo(200);
			assertThat(FitserveServer.client(b).upload("iris.csv", iris, "second").status()).isEqualTo(201);
		}

		// a replica started later on the same database and files: everything known
		try (ConfigurableApplicationContext again = start()) {
			assertThat(FitserveServer.client(again).get("/api/v1/datasets").json().get("totalItems")).isEqualTo(2);
			// the database emptied (say, re-created by an operator) while the files stay
			// on the shared volume
			JdbcTemplate jdbc = again.getBean(JdbcTemplate.class);
			jdbc.execute("DROP SCHEMA public CASCADE");
			jdbc.execute("CREATE SCHEMA public");
		}
		assertThatThrownBy(this::start).hasStackTraceContaining("REFUSING TO START")
			.hasStackTraceContaining("The database was just created")
			.hasStackTraceContaining("jdbc:postgresql://");
	}

	private ConfigurableApplicationContext start() {
		return start(new java.util.concurrent.CountDownLatch(1));
	}

	private ConfigurableApplicationContext start(java.util.concurrent.CountDownLatch loggingReady) {
		// FitserveServer.start plus a listener: the test needs to know when logging is
		// set up
		return FitserveServer.builder()
			.listeners(
					(org.springframework.context.ApplicationListener<org.springframework.boot.context.event.ApplicationPreparedEvent>) event -> loggingReady
						.countDown())
			.run(TestDatabase.with(getClass(), this, FitserveServer.arguments(dataDir)));
	}

}
