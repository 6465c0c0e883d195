package io.fitserve.training;

import io.fitserve.ml.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fitserve.training.algorithms.TrainingParameters;
import io.swagger.v3.oas.annotations.media.Schema;
import io.fitserve.errors.FieldError;

/**
 * A training job's specification with every default filled in; enough to train the same
 * model again.
 *
 * @param crossValidation k-fold cross-validation on the non-test rows, or null
 * @param refit whether the served model is trained again on every row with a target after
 * the held-out rows evaluated it (same hyperparameters, and the epoch or iteration count
 * early stopping chose); false: the evaluated model is served
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSpec(UUID datasetId, String target, List<String> features, Task task, String algorithm,
		@Schema(description = "the algorithm's hyperparameters, defaults filled in",
				ref = "#/components/schemas/Hyperparameters") TrainingParameters hyperparameters,
		double validationFraction, double testFraction, CrossValidation crossValidation, boolean refit, long seed) {

	/**
	 * A stored spec: its hyperparameters are read back through the algorithm's descriptor
	 * (they were resolved, so every value is present and valid). A spec stored before
	 * {@code refit} existed has no such key, and its model was not refit: absent reads as
	 * false, so the spec still trains the same model again (a request's absent refit is
	 * true: {@link SpecResolver}).
	 */
	@JsonCreator
	static TrainingSpec fromJson(@JsonProperty("datasetId") UUID datasetId, @JsonProperty("target") String target,
			@JsonProperty("features") List<String> features, @JsonProperty("task") Task task,
			@JsonProperty("algorithm") String algorithm,
			@JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
			@JsonProperty("validationFraction") double validationFraction,
			@JsonProperty("testFraction") double testFraction,
			@JsonProperty("crossValidation") CrossValidation crossValidation, @JsonProperty("refit") Boolean refit,
			@JsonProperty("seed") long seed) {
		List<FieldError> errors = new ArrayList<>();
		TrainingParameters parameters = SpecResolver.resolveHyperparameters(hyperparameters, algorithm, task, null,
				errors);
		if (!errors.isEmpty()) {
			throw new IllegalStateException("stored hyperparameters of " + algorithm + " do not resolve: " + errors);
		}
		return new TrainingSpec(datasetId, target, features, task, algorithm, parameters, validationFraction,
				testFraction, crossValidation, Boolean.TRUE.equals(refit), seed);
	}

	TrainingSpec withHyperparameters(TrainingParameters h) {
		return new TrainingSpec(datasetId, target, features, task, algorithm, h, validationFraction, testFraction,
				crossValidation, refit, seed);
	}

}
