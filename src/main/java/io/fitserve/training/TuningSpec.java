package io.fitserve.training;

import io.fitserve.ml.Task;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A resolved search: the trials are drawn at submission, so the stored spec says exactly
 * which hyperparameters each trial tries.
 */
public record TuningSpec(UUID datasetId, String target, List<String> features, Task task, String algorithm,
		String strategy, Map<String, Object> space, List<Map<String, Object>> trials, int folds, String metric,
		int timeBudgetSeconds, Map<String, Object> hyperparameters, double testFraction, long seed) {
}
