package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.fitserve.support.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import tools.jackson.core.type.TypeReference;

/**
 * A classifier's rates per group of a sensitive feature on an uploaded dataset, kept
 * under the model; it does not change once made.
 */
@Entity
@Table(name = "model_fairness")
public class ModelFairness {

	@Id
	private UUID id;

	private UUID modelId;

	private UUID datasetId;

	private String datasetName;

	private String datasetSha256;

	private String sensitiveFeature;

	private String positiveLabel;

	private Double decisionThreshold;

	private long rowsEvaluated;

	private long rowsSkipped;

	@Column(name = "report_json")
	private String reportJson;

	@Column(name = "warnings_json")
	private String warningsJson;

	private Instant createdAt;

	protected ModelFairness() {
	}

	static ModelFairness of(UUID modelId, UUID datasetId, String datasetName, String datasetSha256,
			String sensitiveFeature, String positiveLabel, Double threshold, long rows, long skipped,
			FairnessFigures figures, List<String> warnings) {
		ModelFairness f = new ModelFairness();
		f.id = UUID.randomUUID();
		f.modelId = modelId;
		f.datasetId = datasetId;
		f.datasetName = datasetName;
		f.datasetSha256 = datasetSha256;
		f.sensitiveFeature = sensitiveFeature;
		f.positiveLabel = positiveLabel;
		f.decisionThreshold = threshold;
		f.rowsEvaluated = rows;
		f.rowsSkipped = skipped;
		f.reportJson = Json.write(figures);
		f.warningsJson = Json.write(warnings);
		f.createdAt = Instant.now();
		return f;
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

	public String getSensitiveFeature() {
		return sensitiveFeature;
	}

	/** The label counted as positive (binary models); null for multiclass models. */
	public String getPositiveLabel() {
		return positiveLabel;
	}

	/**
	 * The probability of the second class at or above which it was predicted (binary
	 * models); null for multiclass models (the most probable class).
	 */
	public Double getDecisionThreshold() {
		return decisionThreshold;
	}

	public long getRowsEvaluated() {
		return rowsEvaluated;
	}

	public long getRowsSkipped() {
		return rowsSkipped;
	}

	FairnessFigures getFigures() {
		return Json.read(reportJson, FairnessFigures.class);
	}

	public List<String> getWarnings() {
		return Json.read(warningsJson, new TypeReference<List<String>>() {
		});
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

}
