package io.fitserve.training;

import io.fitserve.ml.Task;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A resolved search: the trials are drawn at submission, so the stored spec says exactly
 * which hyperparameters each trial tries.
 *
 * @param refit the best configuration's training job's refit; a search stored before
 * refit existed has no such key, which reads as false (as it was trained)
 */
public record TuningSpec(UUID datasetId, String target, List<String> features, Task task, String algorithm,
		String strategy, Map<String, Object> space, List<Map<String, Object>> trials, int folds, String metric,
		int timeBudgetSeconds, Map<String, Object> hyperparameters, double testFraction, boolean refit, long seed) {

	/** A stored search: an absent refit (stored before it existed) reads as false. */
	@JsonCreator
	static TuningSpec fromJson(@JsonProperty("datasetId") UUID datasetId, @JsonProperty("target") String target,
			@JsonProperty("features") List<String> features, @JsonProperty("task") Task task,
			@JsonProperty("algorithm") String algorithm, @JsonProperty("strategy") String strategy,
			@JsonProperty("space") Map<String, Object> space, @JsonProperty("trials") List<Map<String, Object>> trials,
			@JsonProperty("folds") int folds, @JsonProperty("metric") String metric,
			@JsonProperty("timeBudgetSeconds") int timeBudgetSeconds,
			@JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
			@JsonProperty("testFraction") double testFraction, @JsonProperty("refit") Boolean refit,
			@JsonProperty("seed") long seed) {
		return new TuningSpec(datasetId, target, features, task, algorithm, strategy, space, trials, folds, metric,
				timeBudgetSeconds, hyperparameters, testFraction, Boolean.TRUE.equals(refit), seed);
	}

	/**
	 * The training spec every trial and the best configuration's job train with, less the
	 * hyperparameters: cross-validated on the non-test rows (no validation split), refit
	 * as the search asks.
	 */
	TrainingSpec template() {
		return new TrainingSpec(this.datasetId, this.target, this.features, this.task, this.algorithm, null, 0.0,
				this.testFraction, new CrossValidation(this.folds, this.task == Task.CLASSIFICATION), this.refit,
				this.seed);
	}

}
