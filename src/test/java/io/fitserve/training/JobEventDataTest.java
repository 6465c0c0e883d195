package io.fitserve.training;

import java.util.List;
import java.util.Map;

import io.fitserve.support.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The trial event's wire shape, from a leaderboard row. */
class JobEventDataTest {

	@Test
	void aCompletedTrialIsSucceededWithItsScore() {
		TrialResult completed = new TrialResult(1, 3, Map.of("C", 0.1), "completed", 0.93, 0.01, List.of(0.92, 0.94),
				120, null);
		assertThat(Json.write(JobEventData.Trial.of(completed)))
			.isEqualTo("{\"trial\":3,\"status\":\"succeeded\",\"score\":0.93,\"hyperparameters\":{\"C\":0.1}}");
	}

	@Test
	void aFailedTrialIsFailedWithANullScore() {
		TrialResult failed = new TrialResult(2, 4, Map.of("C", 10.0), "failed", null, null, null, 80,
				"Training diverged");
		assertThat(Json.write(JobEventData.Trial.of(failed)))
			.isEqualTo("{\"trial\":4,\"status\":\"failed\",\"score\":null,\"hyperparameters\":{\"C\":10.0}}");
	}

}
