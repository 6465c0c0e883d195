package io.fitserve.models;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a finished training run hands over to become a stored model.
 *
 * @param decisionThreshold binary models: the probability threshold that maximised F1 on
 * validation (or out-of-fold) predictions; null otherwise
 * @param residuals regression models: predictions on the held-out split; null for
 * classifiers and without one
 * @param importanceStatus PENDING when the permutation importance is computed after the
 * model is stored (featureImportance then holds the rest: the standardized coefficients)
 */
public record ModelDraft(UUID jobId, UUID datasetId, String algorithm, Task task, String target,
		List<FeatureInfo> features, List<String> classLabels, Object hyperparameters, Map<String, Object> metrics,
		Double decisionThreshold, Map<String, Object> featureImportance, Provenance provenance, ModelArtifact artifact,
		ModelResiduals residuals, ImportanceStatus importanceStatus) {
}
