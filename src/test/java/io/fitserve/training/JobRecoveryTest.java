package io.fitserve.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which databases start-up may treat as its own: there it releases every picked job at
 * once.
 */
class JobRecoveryTest {

	@Test
	void onlyAnEmbeddedH2FileOrMemoryDatabaseIsExclusive() {
		assertThat(JobEngineConfig.JobRecovery.exclusive("jdbc:h2:file:./data/db/fitserve;WRITE_DELAY=0")).isTrue();
		assertThat(JobEngineConfig.JobRecovery.exclusive("jdbc:h2:mem:test")).isTrue();
		assertThat(JobEngineConfig.JobRecovery.exclusive("jdbc:h2:file:./db;AUTO_SERVER=TRUE")).isFalse();
		assertThat(JobEngineConfig.JobRecovery.exclusive("jdbc:h2:tcp://host/~/db")).isFalse();
		assertThat(JobEngineConfig.JobRecovery.exclusive("jdbc:postgresql://localhost:5432/fitserve")).isFalse();
		assertThat(JobEngineConfig.JobRecovery.exclusive("")).isFalse();
	}

}
