package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A trained model: what it predicts from what, how it was trained, how well it scores,
 * where it came from. decisionThreshold (binary models) maximised F1 on validation data;
 * predictions use 0.5 unless a request passes a threshold.
 */
@Schema(description = "A trained model: what it predicts from what, how it was trained, how well it scores, "
		+ "where it came from")
public record ModelResponse(UUID id, UUID trainingJobId, UUID datasetId,
		@Schema(example = "logistic_regression") String algorithm,
		@Schema(description = "regression, classification or clustering") String task, String target,
		List<FeatureInfo> features,
		@Schema(description = "classification: the classes, in the order of probabilities and confusion matrices") List<String> classLabels,
		@Schema(description = "the hyperparameters the model was trained with, defaults filled in: those of its "
				+ "algorithm (GradientBoostingHyperparameters for gradient_boosting, ...)",
				ref = "#/components/schemas/Hyperparameters") Map<String, Object> hyperparameters,
		@Schema(implementation = ModelSchemas.Metrics.class) Map<String, Object> metrics,
		@Schema(description = "binary models: the probability threshold that maximised F1 on validation data") Double decisionThreshold,
		@Schema(implementation = Provenance.class) Map<String, Object> provenance,
		@Schema(description = "bytes of the stored artifact") long artifactSize, String artifactSha256,
		Instant createdAt,
		@Schema(description = "whether GET /models/{id}/feature-importance has the permutation importance yet: it "
				+ "is computed after the model is stored (the training job has succeeded and the model serves "
				+ "meanwhile), so a client polls while pending",
				allowableValues = {
						"pending", "ready", "failed" }) String importanceStatus){

	static ModelResponse from(TrainedModel m) {
		return new ModelResponse(m.getId(), m.getJobId(), m.getDatasetId(), m.getAlgorithm(), m.getTask(),
				m.getTarget(), m.getFeatures(), m.getClassLabels(), m.getHyperparameters(), m.getMetrics(),
				m.getDecisionThreshold(), m.getProvenance(), m.getArtifactSize(), m.getArtifactSha256(),
				m.getCreatedAt(), m.getImportanceStatus().wireName());
	}

}
