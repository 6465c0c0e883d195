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

/**
 * A trained model's metadata; immutable once stored, except its permutation importance,
 * which may be written once after the model is stored (importanceStatus pending, then
 * ready or failed). The weights live in a checksummed artifact file.
 */
@Entity
@Table(name = "trained_model")
public class TrainedModel {

	private static final TypeReference<List<FeatureInfo>> FEATURES = new TypeReference<>() {
	};

	private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	@Id
	private UUID id;

	private UUID jobId;

	private UUID datasetId;

	private String algorithm;

	private String task;

	private String target;

	@Column(name = "features_json")
	private String featuresJson;

	@Column(name = "class_labels_json")
	private String classLabelsJson;

	@Column(name = "hyperparameters_json")
	private String hyperparametersJson;

	@Column(name = "metrics_json")
	private String metricsJson;

	@Column(name = "provenance_json")
	private String provenanceJson;

	private Double decisionThreshold;

	@Column(name = "feature_importance_json")
	private String featureImportanceJson;

	@Column(name = "importance_status")
	private String importanceStatus;

	@Column(name = "importance_error")
	private String importanceError;

	@Column(name = "residuals_json")
	private String residualsJson;

	private String artifactSha256;

	private long artifactSize;

	private Instant createdAt;

	protected TrainedModel() {
	}

	static TrainedModel of(UUID id, ModelDraft draft, String artifactSha256, long artifactSize) {
		TrainedModel m = new TrainedModel();
		m.id = id;
		m.jobId = draft.jobId();
		m.datasetId = draft.datasetId();
		m.algorithm = draft.algorithm();
		m.task = draft.task().wireName();
		m.target = draft.target();
		m.featuresJson = Json.write(draft.features());
		m.classLabelsJson = Json.write(draft.classLabels());
		m.hyperparametersJson = Json.write(draft.hyperparameters());
		m.metricsJson = Json.write(draft.metrics());
		m.provenanceJson = Json.write(draft.provenance());
		m.decisionThreshold = draft.decisionThreshold();
		m.featureImportanceJson = Json.write(draft.featureImportance());
		m.residualsJson = Json.write(draft.residuals());
		m.importanceStatus = (draft.importanceStatus() == null ? ImportanceStatus.READY : draft.importanceStatus())
			.wireName();
		m.artifactSha256 = artifactSha256;
		m.artifactSize = artifactSize;
		m.createdAt = Instant.now();
		return m;
	}

	public UUID getId() {
		return id;
	}

	public UUID getJobId() {
		return jobId;
	}

	public UUID getDatasetId() {
		return datasetId;
	}

	public String getAlgorithm() {
		return algorithm;
	}

	public String getTask() {
		return task;
	}

	public String getTarget() {
		return target;
	}

	public List<FeatureInfo> getFeatures() {
		return Json.read(featuresJson, FEATURES);
	}

	public List<String> getClassLabels() {
		return Json.read(classLabelsJson, STRINGS);
	}

	public Map<String, Object> getHyperparameters() {
		return Json.read(hyperparametersJson, MAP);
	}

	public Map<String, Object> getMetrics() {
		return Json.read(metricsJson, MAP);
	}

	public Map<String, Object> getProvenance() {
		return Json.read(provenanceJson, MAP);
	}

	/** The provenance as its record (to derive a compressed model's from it). */
	Provenance provenanceRecord() {
		return Json.read(provenanceJson, Provenance.class);
	}

	public Map<String, Object> getFeatureImportance() {
		return featureImportanceJson == null ? null : Json.read(featureImportanceJson, MAP);
	}

	public ImportanceStatus getImportanceStatus() {
		return ImportanceStatus.fromWire(importanceStatus);
	}

	/** Why the permutation importance could not be computed; null unless failed. */
	public String getImportanceError() {
		return importanceError;
	}

	/**
	 * Stores the permutation importance computed after the model was saved: it goes first
	 * in the importance report, before what was stored with the model. Once only: false
	 * (and nothing changes) unless it was pending.
	 */
	boolean importanceComputed(Map<String, Object> permutation) {
		if (getImportanceStatus() != ImportanceStatus.PENDING) {
			return false;
		}
		Map<String, Object> report = new java.util.LinkedHashMap<>();
		if (permutation != null) {
			report.put("permutation", permutation);
		}
		Map<String, Object> stored = getFeatureImportance();
		if (stored != null) {
			stored.forEach(report::putIfAbsent);
		}
		this.featureImportanceJson = Json.write(report);
		this.importanceStatus = ImportanceStatus.READY.wireName();
		return true;
	}

	/**
	 * The permutation importance could not be computed; once only, like
	 * importanceComputed.
	 */
	boolean importanceFailed(String reason) {
		if (getImportanceStatus() != ImportanceStatus.PENDING) {
			return false;
		}
		this.importanceStatus = ImportanceStatus.FAILED.wireName();
		this.importanceError = reason;
		return true;
	}

	/**
	 * Regression models trained with a held-out split; null otherwise, and for models
	 * trained before they were kept.
	 */
	public ModelResiduals getResiduals() {
		return Json.read(residualsJson, ModelResiduals.class);
	}

	public Double getDecisionThreshold() {
		return decisionThreshold;
	}

	public String getArtifactSha256() {
		return artifactSha256;
	}

	public long getArtifactSize() {
		return artifactSize;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

}
