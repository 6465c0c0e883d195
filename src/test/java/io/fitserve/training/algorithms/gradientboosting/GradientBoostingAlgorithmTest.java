package io.fitserve.training.algorithms.gradientboosting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.GradientBoostingParameters;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.errors.FieldError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The early-stopping rule of gradient_boosting: auto turns on above 10000 training rows
 * (holding out 10% itself), true watches the job's validation split, and the final
 * cross-validation model trains exactly the given iterations.
 */
class GradientBoostingAlgorithmTest {

	private static final GradientBoostingAlgorithm ALGORITHM = new GradientBoostingAlgorithm();

	private static FitInput input(int n, int[] validation, int epochsOverride) {
		Random random = new Random(1);
		double[] x = new double[n];
		double[] noise = new double[n];
		double[] y = new double[n];
		for (int i = 0; i < n; i++) {
			x[i] = random.nextGaussian();
			noise[i] = random.nextGaussian();
			y[i] = Math.sin(x[i]) + random.nextGaussian() * 0.5;
		}
		List<ColumnData> features = List.of(new ColumnData("x", ColumnType.NUMERIC, x, null, null),
				new ColumnData("noise", ColumnType.NUMERIC, noise, null, null));
		List<Integer> used = new ArrayList<>();
		for (int v : validation) {
			used.add(v);
		}
		int[] train = java.util.stream.IntStream.range(0, n).filter(i -> !used.contains(i)).toArray();
		return new FitInput(Task.REGRESSION, features, y, List.of(), train, validation, epochsOverride, 42);
	}

	private static GradientBoostingParameters params(Map<String, Object> given) {
		List<FieldError> errors = new ArrayList<>();
		GradientBoostingParameters p = ALGORITHM.resolve(new ParameterReader(given, errors), Task.REGRESSION, null);
		assertThat(errors).isEmpty();
		return p;
	}

	private static final TrainingListener LISTENER = (loss, epochs) -> true;

	@Test
	void autoStopsEarlyOnlyAboveTenThousandRowsOnATenthOfThem() {
		GradientBoostingParameters auto = params(Map.of("learningRate", 1.0));
		assertThat(ALGORITHM.usesValidation(auto)).isFalse();
		FitOutput small = ALGORITHM.fit(auto, input(2000, new int[0], 0), LISTENER);
		assertThat(small.details().get("earlyStopping")).isEqualTo(false);
		assertThat(small.history()).hasSize(100).allSatisfy(e -> assertThat(e.validationLoss()).isNaN());

		FitOutput large = ALGORITHM.fit(auto, input(12_000, new int[0], 0), LISTENER);
		assertThat(large.details().get("earlyStopping")).isEqualTo(true);
		// a noisy target with learning rate 1 overfits fast: stops well before 100
		assertThat(large.stoppedEarly()).isTrue();
		assertThat(large.history()).isNotEmpty().allSatisfy(e -> assertThat(e.validationLoss()).isFinite());
		assertThat(large.bestEpoch()).isLessThan(large.history().size());
	}

	@Test
	void trueWatchesTheJobsValidationSplitAndTheOverrideFixesTheIterations() {
		GradientBoostingParameters on = params(Map.of("earlyStopping", true, "learningRate", 1.0));
		assertThat(ALGORITHM.usesValidation(on)).isTrue();
		int[] validation = java.util.stream.IntStream.range(0, 300).toArray();
		FitOutput fit = ALGORITHM.fit(on, input(2000, validation, 0), LISTENER);
		assertThat(fit.stoppedEarly()).isTrue();
		assertThat(fit.history()).extracting(EpochLoss::validationLoss).allSatisfy(v -> assertThat(v).isFinite());

		FitOutput fixed = ALGORITHM.fit(on, input(2000, new int[0], 7), LISTENER);
		assertThat(fixed.history()).hasSize(7);
		assertThat(fixed.details().get("iterations")).isEqualTo(7);
	}

	@Test
	void aListenerThatStopsCancelsTheFit() {
		FitOutput fit = ALGORITHM.fit(params(Map.of()), input(500, new int[0], 0), (loss, epochs) -> loss.epoch() < 3);
		assertThat(fit.cancelled()).isTrue();
		assertThat(fit.artifact()).isNull();
	}

}
