package io.fitserve.models;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.cluster.ClusterMetrics;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.eval.Metrics;
import io.fitserve.ml.preprocess.FeatureTransform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.DatasetService;
import io.fitserve.errors.DomainException;
import io.fitserve.privacy.Pseudonymizer;
import io.fitserve.errors.FieldError;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Scores a stored model on another uploaded dataset, with the metric set of its test
 * split.
 */
@Service
public class EvaluationService {

	private final ModelService models;

	private final DatasetService datasets;

	private final ModelEvaluationRepository repository;

	private final Pseudonymizer pseudonymizer;

	EvaluationService(ModelService models, DatasetService datasets, ModelEvaluationRepository repository,
			Pseudonymizer pseudonymizer) {
		this.pseudonymizer = pseudonymizer;
		this.models = models;
		this.datasets = datasets;
		this.repository = repository;
	}

	public ModelEvaluation evaluate(String modelId, EvaluationRequest request) {
		TrainedModel model = models.get(modelId);
		if (request == null || request.datasetId() == null) {
			throw DomainException.invalid("datasetId is required.",
					List.of(FieldError.field("datasetId", "is required")));
		}
		Dataset dataset = datasets.get(request.datasetId());
		DatasetFrame frame = datasets.frame(dataset.getId());
		ModelArtifact artifact = models.artifact(model);
		List<FieldError> errors = EvaluationRows.checkFeatures(frame, artifact);
		if (artifact.task() == Task.CLUSTERING) {
			return evaluateClustering(model, dataset, frame, artifact, request.labelColumn(), errors);
		}
		if (request.labelColumn() != null) {
			throw DomainException.invalid(
					"labelColumn applies to clustering models; this model is scored against its target '"
							+ model.getTarget() + "'.",
					List.of(FieldError.field("labelColumn", "only for clustering models")));
		}
		errors.addAll(EvaluationRows.checkTarget(model, frame, artifact));
		if (!errors.isEmpty()) {
			throw EvaluationRows.doesNotFit(model, dataset, errors);
		}
		EvaluationRows rows = EvaluationRows.read(model, dataset, frame, artifact, pseudonymizer);
		boolean regression = artifact.task() == Task.REGRESSION;
		double[][] out = artifact.predictBatch(rows.x());
		Object metrics;
		if (regression) {
			double[] predicted = new double[out.length];
			double[] actual = new double[out.length];
			for (int i = 0; i < out.length; i++) {
				predicted[i] = out[i][0];
				actual[i] = rows.y()[i];
			}
			metrics = Metrics.regression(actual, predicted);
		}
		else {
			int[] actual = new int[out.length];
			for (int i = 0; i < out.length; i++) {
				actual[i] = (int) Math.round(rows.y()[i]);
			}
			metrics = Metrics.classification(actual, out, artifact.classLabels());
		}
		return repository.save(ModelEvaluation.of(model.getId(), dataset.getId(), dataset.getName(),
				dataset.getSha256(), rows.x().length, rows.skipped(), metrics, rows.warnings()));
	}

	/**
	 * A clustering model against a column of known groups: each row with a group is
	 * assigned its closest centroid, and the clusters are compared with the groups
	 * (adjusted Rand index, mutual information in nats, normalized and adjusted mutual
	 * information, as scikit-learn), with the inertia of those rows.
	 */
	private ModelEvaluation evaluateClustering(TrainedModel model, Dataset dataset, DatasetFrame frame,
			ModelArtifact artifact, String labelColumn, List<FieldError> errors) {
		if (labelColumn == null || labelColumn.isBlank()) {
			throw DomainException.invalid(
					"labelColumn is required to evaluate a clustering model: the column of "
							+ "known groups its clusters are compared with.",
					List.of(FieldError.field("labelColumn", "is required for clustering models")));
		}
		ColumnData label = frame.column(labelColumn);
		if (label == null) {
			errors.add(FieldError.field("labelColumn", "the dataset has no column '"
					+ io.fitserve.training.algorithms.ParameterReader.echo(labelColumn) + "'"));
		}
		else if (label.codes() == null) {
			errors.add(FieldError.field("labelColumn", "the column has too many distinct numbers to read as groups"));
		}
		if (!errors.isEmpty()) {
			throw EvaluationRows.doesNotFit(model, dataset, errors);
		}
		List<FeatureTransform> features = artifact.preprocessing().features();
		List<ColumnData> columns = EvaluationRows.featureColumns(model, frame, artifact, pseudonymizer);
		List<double[]> x = new ArrayList<>();
		List<Integer> groups = new ArrayList<>();
		long missingLabel = 0;
		long unseenCategories = 0;
		Object[] values = new Object[features.size()];
		for (int r = 0; r < frame.rows(); r++) {
			int code = label.codes()[r];
			if (code < 0) {
				missingLabel++;
				continue;
			}
			unseenCategories += EvaluationRows.readRow(artifact, columns, r, values);
			x.add(artifact.preprocessing().transformRow(values));
			groups.add(code);
		}
		List<String> warnings = new ArrayList<>();
		if (missingLabel > 0) {
			warnings.add(missingLabel + " row(s) without a value in '" + labelColumn + "' were skipped");
		}
		if (unseenCategories > 0) {
			warnings.add(unseenCategories + " categorical value(s) unseen in training were treated as missing");
		}
		if (x.isEmpty()) {
			throw DomainException.unprocessable("No row of dataset '" + dataset.getId() + "' can be evaluated.",
					List.of(FieldError.field("labelColumn", String.join("; ", warnings))));
		}
		double[][] out = artifact.predictBatch(x.toArray(double[][]::new));
		int[] truth = new int[out.length];
		int[] clusters = new int[out.length];
		double inertia = 0;
		for (int i = 0; i < out.length; i++) {
			truth[i] = groups.get(i);
			clusters[i] = (int) out[i][0];
			inertia += out[i][1] * out[i][1];
		}
		Map<String, Object> metrics = new LinkedHashMap<>();
		metrics.put("labelColumn", labelColumn);
		metrics.put("adjustedRandIndex", ClusterMetrics.adjustedRand(truth, clusters));
		metrics.put("mutualInformation", ClusterMetrics.mutualInformation(truth, clusters));
		metrics.put("normalizedMutualInformation", ClusterMetrics.normalizedMutualInformation(truth, clusters));
		metrics.put("adjustedMutualInformation", ClusterMetrics.adjustedMutualInformation(truth, clusters));
		metrics.put("inertia", inertia);
		return repository.save(ModelEvaluation.of(model.getId(), dataset.getId(), dataset.getName(),
				dataset.getSha256(), x.size(), missingLabel, metrics, warnings));
	}

	@Transactional(readOnly = true)
	public List<ModelEvaluation> list(String modelId) {
		TrainedModel model = models.get(modelId);
		return repository.findByModelIdOrderByCreatedAtDesc(model.getId());
	}

}
