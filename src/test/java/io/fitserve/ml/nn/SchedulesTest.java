package io.fitserve.ml.nn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class SchedulesTest {

	private static double[] rates(Schedules schedule, int epochs) {
		double[] rates = new double[epochs];
		for (int e = 1; e <= epochs; e++) {
			rates[e - 1] = schedule.rate(e);
		}
		return rates;
	}

	@Test
	void fixedSchedulesGiveTheDocumentedSequences() {
		assertThat(rates(new Schedules(LearningRateSchedule.CONSTANT, 0.1, 3, false, 0), 3)).containsExactly(0.1, 0.1,
				0.1);
		LearningRateSchedule step = new LearningRateSchedule(ScheduleKind.STEP, 2, 0.5, 0, 5, 0.5);
		assertThat(rates(new Schedules(step, 0.8, 6, false, 0), 6)).containsExactly(0.8, 0.8, 0.4, 0.4, 0.2, 0.2);
		LearningRateSchedule exponential = new LearningRateSchedule(ScheduleKind.EXPONENTIAL, 1, 0.5, 0, 5, 0.5);
		assertThat(rates(new Schedules(exponential, 0.8, 4, false, 0), 4)).containsExactly(0.8, 0.4, 0.2, 0.1);
		// 2 warm-up epochs of 6: 0.5, 1, then cos over the remaining 4: 1,
		// (1+cos(pi/4))/2, 0.5, (1+cos(3pi/4))/2
		LearningRateSchedule cosine = new LearningRateSchedule(ScheduleKind.COSINE, 1, 0.5, 2, 5, 0.5);
		double[] actual = rates(new Schedules(cosine, 1.0, 6, false, 0), 6);
		double[] expected = { 0.5, 1.0, 1.0, (1 + Math.sqrt(0.5)) / 2, 0.5, (1 - Math.sqrt(0.5)) / 2 };
		for (int i = 0; i < 6; i++) {
			assertThat(actual[i]).as("epoch %d", i + 1).isCloseTo(expected[i], within(1e-12));
		}
	}

	@Test
	void reduceOnPlateauMultipliesAfterPatienceEpochsWithoutImprovement() {
		LearningRateSchedule plateau = new LearningRateSchedule(ScheduleKind.REDUCE_ON_PLATEAU, 1, 0.5, 0, 2, 0.1);
		Schedules lowerIsBetter = new Schedules(plateau, 1.0, 10, false, 0.01);
		double[] losses = { 1.0, 0.5, 0.495, 0.6, 0.4, 0.41, 0.42, 0.43, 0.44 };
		double[] seen = new double[losses.length];
		for (int e = 0; e < losses.length; e++) {
			seen[e] = lowerIsBetter.rate(e + 1);
			lowerIsBetter.observe(losses[e]);
		}
		// 0.495 is within minDelta of 0.5 (no improvement), 0.6 worse: reduce after epoch
		// 4; 0.4 improves; 0.41, 0.42 do not: reduce after epoch 7; 0.43, 0.44: reduce
		// after epoch 9
		assertThat(seen).usingComparatorWithPrecision(1e-15)
			.containsExactly(1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.01, 0.01);
		assertThat(lowerIsBetter.rate(10)).isCloseTo(0.001, within(1e-15));

		Schedules higherIsBetter = new Schedules(plateau, 1.0, 10, true, 0.0);
		for (double accuracy : new double[] { 0.5, 0.6, 0.6, 0.6 }) {
			higherIsBetter.observe(accuracy);
		}
		assertThat(higherIsBetter.rate(5)).isCloseTo(0.1, within(1e-15));
	}

	@Test
	void rejectsMeaninglessParameters() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Schedules.check(new LearningRateSchedule(ScheduleKind.STEP, 0, 0.5, 0, 5, 0.5)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Schedules.check(new LearningRateSchedule(ScheduleKind.EXPONENTIAL, 1, 0, 0, 5, 0.5)));
		assertThatIllegalArgumentException().isThrownBy(
				() -> Schedules.check(new LearningRateSchedule(ScheduleKind.REDUCE_ON_PLATEAU, 1, 0.5, 0, 2, 1.5)));
	}

}
