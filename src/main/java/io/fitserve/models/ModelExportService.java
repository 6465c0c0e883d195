package io.fitserve.models;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.OnnxExportNotSupportedException;
import io.fitserve.ml.artifact.OnnxExporter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Exports a stored model in a portable format (ONNX); the graph itself is
 * {@link OnnxExporter}'s.
 */
@Service
class ModelExportService {

	/** Formats GET /api/v1/models/{id}/export knows. */
	static final List<String> FORMATS = List.of("onnx");

	private final ModelService models;

	private final String version;

	ModelExportService(ModelService models, @Value("${info.app.version:dev}") String version) {
		this.models = models;
		this.version = version;
	}

	/** The exported file: its suggested name and its bytes. */
	record ExportedModel(String filename, byte[] bytes) {
	}

	/**
	 * The model as ONNX. threshold: for binary classifiers, null or "best_f1" (the
	 * model's decisionThreshold, 0.5 when it has none, as the predictions' "best_f1") or
	 * a number in [0, 1]. 400 for an unknown format or a bad threshold, 404 for an
	 * unknown model, 409 for a model the format cannot hold (kernel SVM).
	 */
	ExportedModel export(String id, String format, String threshold) {
		if (format == null || !FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
			throw DomainException.invalid(
					"Unknown export format '" + format + "'; supported: " + String.join(", ", FORMATS) + ".",
					List.of(FieldError.field("format", "must be one of " + FORMATS)));
		}
		TrainedModel model = models.get(id);
		ModelArtifact artifact = models.artifact(model);
		double decisionThreshold = threshold(threshold, model, artifact);
		Map<String, String> provenance = new LinkedHashMap<>();
		provenance.put("model_id", model.getId().toString());
		provenance.put("algorithm", model.getAlgorithm());
		provenance.put("target", model.getTarget());
		provenance.put("dataset_id", model.getDatasetId() == null ? "" : model.getDatasetId().toString());
		provenance.put("training_job_id", model.getJobId() == null ? "" : model.getJobId().toString());
		provenance.put("created_at", model.getCreatedAt() == null ? "" : model.getCreatedAt().toString());
		provenance.put("artifact_sha256", model.getArtifactSha256());
		provenance.put("fitserve_version", version);
		byte[] bytes;
		try {
			bytes = OnnxExporter.export(artifact, decisionThreshold, version, provenance);
		}
		catch (OnnxExportNotSupportedException ex) {
			throw new DomainException(DomainException.Kind.CONFLICT, "export-not-supported",
					"The model cannot be exported in this format", "Model " + model.getId() + " (algorithm "
							+ model.getAlgorithm() + ") cannot be exported as ONNX: " + ex.getMessage(),
					null, null);
		}
		return new ExportedModel("fitserve-" + model.getAlgorithm() + "-" + model.getId() + ".onnx", bytes);
	}

	/**
	 * The binary decision threshold the exported label uses; NaN (the more probable
	 * class) for other models.
	 */
	private static double threshold(String requested, TrainedModel model, ModelArtifact artifact) {
		boolean binary = artifact.task() == Task.CLASSIFICATION && artifact.classLabels().size() == 2;
		if (requested == null || requested.isBlank() || "best_f1".equals(requested)) {
			if (!binary) {
				return Double.NaN;
			}
			return model.getDecisionThreshold() == null ? 0.5 : model.getDecisionThreshold();
		}
		if (!binary) {
			throw DomainException.invalid("threshold applies only to binary classification models.",
					List.of(FieldError.field("threshold", "only for binary classification models")));
		}
		double value;
		try {
			value = Double.parseDouble(requested.strip());
		}
		catch (NumberFormatException ex) {
			value = Double.NaN;
		}
		if (!(value >= 0 && value <= 1)) {
			throw DomainException.invalid("threshold must be a number in [0, 1] or \"best_f1\".",
					List.of(FieldError.field("threshold", "must be a number in [0, 1] or \"best_f1\"")));
		}
		return value;
	}

}
