package io.fitserve.models;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.eval.Metrics;
import java.util.List;

import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.DatasetService;
import io.fitserve.errors.DomainException;
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

	EvaluationService(ModelService models, DatasetService datasets, ModelEvaluationRepository repository) {
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
		List<FieldError> errors = EvaluationRows.check(model, frame, artifact);
		if (!errors.isEmpty()) {
			throw EvaluationRows.doesNotFit(model, dataset, errors);
		}
		EvaluationRows rows = EvaluationRows.read(model, dataset, frame, artifact);
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

	@Transactional(readOnly = true)
	public List<ModelEvaluation> list(String modelId) {
		TrainedModel model = models.get(modelId);
		return repository.findByModelIdOrderByCreatedAtDesc(model.getId());
	}

}
