package io.fitserve.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StartupSummaryTest {

	@Test
	void databaseUrlLosesItsCredentials() {
		assertThat(StartupSummary.withoutCredentials("jdbc:h2:file:./data/db/fitserve;DB_CLOSE_ON_EXIT=FALSE"))
			.isEqualTo("jdbc:h2:file:./data/db/fitserve;DB_CLOSE_ON_EXIT=FALSE");
		assertThat(StartupSummary.withoutCredentials("jdbc:postgresql://fitserve:s3cret@db:5432/fitserve?ssl=true"))
			.isEqualTo("jdbc:postgresql://db:5432/fitserve?ssl=true");
		assertThat(StartupSummary
			.withoutCredentials("jdbc:postgresql://db/fitserve?user=fitserve&password=s3cret&sslmode=require"))
			.isEqualTo("jdbc:postgresql://db/fitserve?user=***&password=***&sslmode=require");
		assertThat(StartupSummary.withoutCredentials("jdbc:h2:file:/d/db;CIPHER=AES;PASSWORD=k p;USER=sa"))
			.isEqualTo("jdbc:h2:file:/d/db;CIPHER=AES;PASSWORD=***;USER=***");
	}

	@Test
	void backendFromTheClassPathWithoutLoadingNd4j() {
		assertThat(ComputeBackendInfo.fromClassPath(getClass().getClassLoader()).describe())
			.isEqualTo("cpu (nd4j-native)");
	}

}
