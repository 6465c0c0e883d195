package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** A model's metrics on another dataset: the same metric set as its test split. */
@Schema(description = "A model's metrics on another dataset: the same metric set as its test split")
public record EvaluationResponse(UUID id, UUID modelId, UUID datasetId, String datasetName, String datasetSha256,
		@Schema(description = "rows scored") long rows,
		@Schema(description = "rows left out: missing target or a class the model does not know") long rowsSkipped,
		@Schema(implementation = ModelSchemas.SplitMetrics.class) Map<String, Object> metrics, List<String> warnings,
		Instant createdAt) {

	static EvaluationResponse from(ModelEvaluation e) {
		return new EvaluationResponse(e.getId(), e.getModelId(), e.getDatasetId(), e.getDatasetName(),
				e.getDatasetSha256(), e.getRowsEvaluated(), e.getRowsSkipped(), e.getMetrics(), e.getWarnings(),
				e.getCreatedAt());
	}

}
