package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A trained model: what it predicts from what, how it was trained, how well it scores, where it
 * came from. decisionThreshold (binary models) maximised F1 on validation data; predictions use 0.5
 * unless a request passes a threshold.
 */
public record ModelResponse(UUID id, UUID trainingJobId, UUID datasetId, String algorithm, String task,
		String target, List<FeatureInfo> features, List<String> classLabels, Map<String, Object> hyperparameters,
		Map<String, Object> metrics, Double decisionThreshold, Map<String, Object> provenance, long artifactSize,
		String artifactSha256, Instant createdAt) {

	static ModelResponse from(TrainedModel m) {
		return new ModelResponse(m.getId(), m.getJobId(), m.getDatasetId(), m.getAlgorithm(), m.getTask(),
				m.getTarget(), m.getFeatures(), m.getClassLabels(), m.getHyperparameters(), m.getMetrics(),
				m.getDecisionThreshold(), m.getProvenance(), m.getArtifactSize(), m.getArtifactSha256(), m.getCreatedAt());
	}

}
