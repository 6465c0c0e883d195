package io.fitserve.training;

import java.util.List;
import java.util.Map;

import io.fitserve.support.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * refit in specs: a request without it asks for it; a spec stored before it existed (no
 * key) was trained without it and reads as false, so the stored spec still says how its
 * model was trained.
 */
class StoredSpecRefitTest {

	/** A training job's spec as stored before refit existed. */
	static final String OLD_TRAINING_SPEC = """
			{"datasetId":"0b7c1e2a-5d3f-4a8e-9c61-2f4b8d7e9a10","target":"y","features":["x1","x2"],
			 "task":"regression","algorithm":"linear_regression",
			 "hyperparameters":{"optimizer":"adam","learningRate":0.01,"epochs":200,"batchSize":64,
			   "earlyStoppingPatience":10,"earlyStoppingMonitor":"validation_loss","earlyStoppingMinDelta":0.0,
			   "schedule":{"type":"constant"},"momentum":0.9,"solver":"auto","l1":0.0,"l2":0.0},
			 "validationFraction":0.0,"testFraction":0.2,"seed":42}
			""";

	/** A search's spec as stored before refit existed. */
	static final String OLD_TUNING_SPEC = """
			{"datasetId":"0b7c1e2a-5d3f-4a8e-9c61-2f4b8d7e9a10","target":"label","features":["x1"],
			 "task":"classification","algorithm":"logistic_regression","strategy":"grid",
			 "space":{"C":[0.1,1.0]},"trials":[{"C":0.1},{"C":1.0}],"folds":3,"metric":"accuracy",
			 "timeBudgetSeconds":3600,"hyperparameters":{},"testFraction":0.2,"seed":42}
			""";

	@Test
	void aStoredTrainingSpecWithoutRefitWasNotRefit() {
		TrainingSpec spec = Json.read(OLD_TRAINING_SPEC, TrainingSpec.class);
		assertThat(spec.refit()).isFalse();
		assertThat(spec.algorithm()).isEqualTo("linear_regression");
		assertThat(spec.seed()).isEqualTo(42L);
		// written again, the key is there, and reads back as it was
		String written = Json.write(spec);
		assertThat(Json.read(written, Map.class)).containsEntry("refit", false);
		assertThat(Json.read(written, TrainingSpec.class)).isEqualTo(spec);
		TrainingSpec refit = Json.read(OLD_TRAINING_SPEC.replace("\"seed\":42", "\"refit\":true,\"seed\":42"),
				TrainingSpec.class);
		assertThat(refit.refit()).isTrue();
		assertThat(Json.read(Json.write(refit), TrainingSpec.class)).isEqualTo(refit);
	}

	@Test
	void aStoredSearchWithoutRefitWasNotRefitAndItsTemplateSaysSo() {
		TuningSpec old = Json.read(OLD_TUNING_SPEC, TuningSpec.class);
		assertThat(old.refit()).isFalse();
		assertThat(old.template().refit()).isFalse();
		assertThat(old.template().crossValidation()).isEqualTo(new CrossValidation(3, true));
		TuningSpec now = Json.read(OLD_TUNING_SPEC.replace("\"seed\":42", "\"refit\":true,\"seed\":42"),
				TuningSpec.class);
		assertThat(now.refit()).isTrue();
		assertThat(now.template().refit()).isTrue();
	}

	@Test
	void aRequestWithoutRefitAsksForIt() {
		assertThat(resolve(null).refit()).isTrue();
		assertThat(resolve(true).refit()).isTrue();
		assertThat(resolve(false).refit()).isFalse();
	}

	private static TrainingSpec resolve(Boolean refit) {
		return SpecResolver.resolve(new TrainingJobRequest("ignored", "y", List.of("x1", "x2"), null,
				"linear_regression", null, null, null, null, null, refit), SpecResolverTest.DATA.dataset(),
				SpecResolverTest.DATA.frame());
	}

}
