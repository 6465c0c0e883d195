package io.fitserve;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.fitserve.storage.StorageConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service refuses to start when its database no longer matches the data directory
 * (files it does not know), instead of starting healthy with the data silently gone; a
 * single stray file from an interrupted upload does not stop it.
 */
class DataDirectoryCheckTest {

	@TempDir
	Path dataDir;

	@Test
	void refusesToStartOnATruncatedOrStaleDatabase() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		try (ConfigurableApplicationContext app = start()) {
			HttpTestClient http = FitserveServer.client(app);
			String datasetId = (String) http.upload("iris.csv", iris, null).json().get("id");
			assertThat(http.upload("iris.csv", iris, "second").status()).isEqualTo(201);
			String jobId = (String) http
				.postJson("/api/v1/training-jobs",
						Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression"))
				.json()
				.get("id");
			assertThat(http.awaitJob(jobId, Duration.ofMinutes(1)).get("status")).isEqualTo("succeeded");
		}

		// one stray file (a crash between writing a dataset file and recording it) is
		// only logged
		Files.write(dataDir.resolve("datasets").resolve(UUID.randomUUID() + ".fsd"), new byte[] { 1, 2, 3 });
		try (ConfigurableApplicationContext app = start()) {
			assertThat(FitserveServer.client(app).get("/api/v1/datasets").json().get("totalItems")).isEqualTo(2);
			// a database restored from an older backup: it no longer knows the stored
			// datasets
			app.getBean(JdbcTemplate.class).update("DELETE FROM dataset");
		}
		// a StorageConfigurationException: StorageFailureAnalyzer prints it as a
		// description and an action, with no stack trace
		assertThatThrownBy(this::start).hasStackTraceContaining("REFUSING TO START")
			.hasStackTraceContaining(dataDir.toAbsolutePath().toString())
			.hasRootCauseInstanceOf(StorageConfigurationException.class);

		// the database file truncated while the service was stopped: H2 starts an empty
		// database
		try (FileChannel db = FileChannel.open(dataDir.resolve("db").resolve("fitserve.mv.db"),
				StandardOpenOption.WRITE)) {
			db.truncate(0);
		}
		assertThatThrownBy(this::start).hasStackTraceContaining("REFUSING TO START")
			.hasStackTraceContaining("The database was just created");
	}

	private ConfigurableApplicationContext start() throws Exception {
		Files.createDirectories(dataDir);
		return FitserveServer.start(getClass(), this, dataDir);
	}

}
