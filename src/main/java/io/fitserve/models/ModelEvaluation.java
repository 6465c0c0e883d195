package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fitserve.support.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import tools.jackson.core.type.TypeReference;

/** A model's metrics on another uploaded dataset, kept under the model. */
@Entity
@Table(name = "model_evaluation")
public class ModelEvaluation {

	@Id
	private UUID id;

	private UUID modelId;

	private UUID datasetId;

	private String datasetName;

	private String datasetSha256;

	private long rowsEvaluated;

	private long rowsSkipped;

	@Column(name = "metrics_json")
	private String metricsJson;

	@Column(name = "warnings_json")
	private String warningsJson;

	private Instant createdAt;

	protected ModelEvaluation() {
	}

	static ModelEvaluation of(UUID modelId, UUID datasetId, String datasetName, String datasetSha256, long rows,
			long skipped, Object metrics, List<String> warnings) {
		ModelEvaluation e = new ModelEvaluation();
		e.id = UUID.randomUUID();
		e.modelId = modelId;
		e.datasetId = datasetId;
		e.datasetName = datasetName;
		e.datasetSha256 = datasetSha256;
		e.rowsEvaluated = rows;
		e.rowsSkipped = skipped;
		e.metricsJson = Json.write(metrics);
		e.warningsJson = Json.write(warnings);
		e.createdAt = Instant.now();
		return e;
	}

	public UUID getId() {
		return id;
	}

	public UUID getModelId() {
		return modelId;
	}

	public UUID getDatasetId() {
		return datasetId;
	}

	public String getDatasetName() {
		return datasetName;
	}

	public String getDatasetSha256() {
		return datasetSha256;
	}

	public long getRowsEvaluated() {
		return rowsEvaluated;
	}

	public long getRowsSkipped() {
		return rowsSkipped;
	}

	public Map<String, Object> getMetrics() {
		return Json.read(metricsJson, new TypeReference<Map<String, Object>>() {
		});
	}

	public List<String> getWarnings() {
		return Json.read(warningsJson, new TypeReference<List<String>>() {
		});
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

}
