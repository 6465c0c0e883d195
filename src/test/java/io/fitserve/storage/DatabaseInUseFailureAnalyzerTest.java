package io.fitserve.storage;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseInUseFailureAnalyzerTest {

	private final DatabaseInUseFailureAnalyzer analyzer = new DatabaseInUseFailureAnalyzer(
			new MockEnvironment().withProperty("fitserve.storage.data-dir", "/srv/fitserve"));

	@Test
	void recognisesH2sDatabaseInUseDeepInTheCauseChain() {
		SQLException h2 = new SQLException(
				"Database may be already in use: \"/srv/fitserve/db/fitserve.mv.db\". "
						+ "Possible solutions: close all other connection(s); use the server mode [90020-240]",
				"90020", 90020, new IllegalStateException("The file is locked: /srv/fitserve/db/fitserve.mv.db"));
		RuntimeException failure = new IllegalStateException("Error creating bean with name 'entityManagerFactory'",
				new RuntimeException("Unable to obtain connection from database", h2));

		FailureAnalysis analysis = analyzer.analyze(failure);

		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).startsWith("The database /srv/fitserve/db/fitserve.mv.db is in use by "
				+ "another process: another fitserve is probably running on the data directory /srv/fitserve.");
		assertThat(analysis.getAction()).contains("Stop the other fitserve (the one on /srv/fitserve)",
				"--fitserve.storage.data-dir=<dir>", "FITSERVE_STORAGE_DATA_DIR", "--server.port=<port>");
	}

	@Test
	void leavesOtherDatabaseFailuresAlone() {
		SQLException wrongPassword = new SQLException("Wrong user name or password [28000-240]", "28000", 28000);
		assertThat(analyzer.analyze(new IllegalStateException("start-up failed", wrongPassword))).isNull();
		assertThat(analyzer.analyze(new IllegalStateException("no database involved"))).isNull();
	}

}
