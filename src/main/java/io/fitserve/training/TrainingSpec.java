package io.fitserve.training;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A training job's specification with every default filled in; enough to train the same
 * model again.
 *
 * @param crossValidation k-fold cross-validation on the non-test rows, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSpec(UUID datasetId, String target, List<String> features, Task task, Algorithm algorithm,
		Hyperparameters hyperparameters, double validationFraction, double testFraction,
		CrossValidation crossValidation, long seed) {

	TrainingSpec withHyperparameters(Hyperparameters h) {
		return new TrainingSpec(datasetId, target, features, task, algorithm, h, validationFraction, testFraction,
				crossValidation, seed);
	}

}
