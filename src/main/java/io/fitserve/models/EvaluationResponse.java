package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A model's metrics on another dataset: the same metric set as its test split. */
public record EvaluationResponse(UUID id, UUID modelId, UUID datasetId, String datasetName, String datasetSha256,
		long rows, long rowsSkipped, Map<String, Object> metrics, List<String> warnings, Instant createdAt) {

	static EvaluationResponse from(ModelEvaluation e) {
		return new EvaluationResponse(e.getId(), e.getModelId(), e.getDatasetId(), e.getDatasetName(),
				e.getDatasetSha256(), e.getRowsEvaluated(), e.getRowsSkipped(), e.getMetrics(), e.getWarnings(),
				e.getCreatedAt());
	}

}
