package io.fitserve.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fitserve.errors.FieldError;
import io.fitserve.ml.Task;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random search draws integer hyperparameters as integers for every algorithm, as the
 * OpenAPI document's SearchRange says, so that every drawn trial is a valid one.
 */
class TuningResolverTest {

	@Test
	void integerParametersComeFromTheDescriptors() {
		assertThat(TuningResolver.integerParameters("gradient_boosting"))
			.contains("nEstimators", "maxLeaves", "maxDepth", "minSamplesLeaf", "maxBins", "earlyStoppingRounds")
			.doesNotContain("learningRate", "subsample", "loss");
		assertThat(TuningResolver.integerParameters("random_forest")).contains("nEstimators", "minSamplesSplit");
		assertThat(TuningResolver.integerParameters("mlp")).contains("epochs", "batchSize", "earlyStoppingPatience")
			.doesNotContain("hiddenLayers", "dropout");
		assertThat(TuningResolver.integerParameters("svm")).contains("degree");
		assertThat(TuningResolver.integerParameters("no_such_algorithm")).isEmpty();
	}

	@Test
	void aRangeOfATreeParameterDrawsIntegersThatResolve() {
		List<FieldError> errors = new ArrayList<>();
		List<Map<String, Object>> trials = TuningResolver.random(
				Map.of("nEstimators", Map.of("min", 10, "max", 500), "learningRate",
						Map.of("min", 0.01, "max", 0.3, "log", true)),
				20, 7, TuningResolver.integerParameters("gradient_boosting"), errors);
		assertThat(errors).isEmpty();
		assertThat(trials).hasSize(20).allSatisfy(trial -> {
			assertThat(trial.get("nEstimators")).isInstanceOf(Integer.class);
			assertThat((Integer) trial.get("nEstimators")).isBetween(10, 500);
			assertThat(trial.get("learningRate")).isInstanceOf(Double.class);
			List<FieldError> trialErrors = new ArrayList<>();
			SpecResolver.resolveHyperparameters(trial, "gradient_boosting", Task.CLASSIFICATION, null, trialErrors);
			assertThat(trialErrors).as(trial.toString()).isEmpty();
		});
	}

}
