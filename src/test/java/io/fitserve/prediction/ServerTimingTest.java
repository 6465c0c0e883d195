package io.fitserve.prediction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Server-Timing value reads as before (String.format's "%.3f" of the milliseconds).
 */
class ServerTimingTest {

	@Test
	void millisecondsWithThreeDecimals() {
		assertThat(PredictionController.serverTiming(1_234_567)).isEqualTo("predict;dur=1.235");
		assertThat(PredictionController.serverTiming(288_400_000)).isEqualTo("predict;dur=288.400");
		assertThat(PredictionController.serverTiming(50_000)).isEqualTo("predict;dur=0.050");
		assertThat(PredictionController.serverTiming(5_000)).isEqualTo("predict;dur=0.005");
		assertThat(PredictionController.serverTiming(499)).isEqualTo("predict;dur=0.000");
		assertThat(PredictionController.serverTiming(12_000_000_000L)).isEqualTo("predict;dur=12000.000");
	}

}
