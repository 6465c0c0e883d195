package io.fitserve.models;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.eval.Metrics;
import io.fitserve.ml.preprocess.FeatureTransform;
import java.util.ArrayList;
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
		List<FeatureTransform> features = artifact.preprocessing().features();

		List<FieldError> errors = new ArrayList<>();
		List<ColumnData> columns = new ArrayList<>();
		for (FeatureTransform feature : features) {
			ColumnData column = frame.column(feature.name());
			if (column == null) {
				errors.add(FieldError.field(feature.name(), "the dataset has no column for this feature"));
			}
			else if (feature.numericFeature() && column.type() != ColumnType.NUMERIC) {
				errors.add(FieldError.field(feature.name(),
						"the model expects numbers; the column is " + column.type().wireName()));
			}
			else if (!feature.numericFeature() && column.codes() == null) {
				errors.add(FieldError.field(feature.name(), "the model expects categories; the column has too many "
						+ "distinct numbers to read as categories"));
			}
			columns.add(column);
		}
		ColumnData target = frame.column(model.getTarget());
		boolean regression = artifact.task() == Task.REGRESSION;
		if (target == null) {
			errors.add(FieldError.field(model.getTarget(), "the dataset has no column for the target"));
		}
		else if (regression && target.type() != ColumnType.NUMERIC) {
			errors.add(FieldError.field(model.getTarget(), "the target must be numeric for a regression model"));
		}
		else if (!regression && target.codes() == null) {
			errors.add(FieldError.field(model.getTarget(), "the target has too many distinct values to be classes"));
		}
		if (!errors.isEmpty()) {
			throw DomainException
				.unprocessable("Dataset '" + dataset.getId() + "' does not fit model '" + model.getId() + "'.", errors);
		}

		List<String> labels = artifact.classLabels();
		// the model's class index of each of the target column's levels, -1 for classes
		// it never saw
		int[] classOfCode = regression ? null : target.levels().stream().mapToInt(labels::indexOf).toArray();
		List<double[]> x = new ArrayList<>();
		List<Double> y = new ArrayList<>();
		long missingTarget = 0;
		long unknownClass = 0;
		long unseenCategories = 0;
		Object[] values = new Object[features.size()];
		for (int r = 0; r < frame.rows(); r++) {
			double yValue;
			if (regression) {
				yValue = target.values()[r];
				if (Double.isNaN(yValue)) {
					missingTarget++;
					continue;
				}
			}
			else {
				int code = target.codes()[r];
				if (code < 0) {
					missingTarget++;
					continue;
				}
				int cls = classOfCode[code];
				if (cls < 0) {
					unknownClass++;
					continue;
				}
				yValue = cls;
			}
			for (int j = 0; j < features.size(); j++) {
				ColumnData column = columns.get(j);
				if (features.get(j).numericFeature()) {
					double v = column.values()[r];
					values[j] = Double.isNaN(v) ? null : v;
				}
				else {
					int code = column.codes()[r];
					String category = code < 0 ? null : column.levels().get(code);
					if (category != null && !artifact.preprocessing().isKnownCategory(j, category)) {
						unseenCategories++;
					}
					values[j] = category;
				}
			}
			x.add(artifact.preprocessing().transformRow(values));
			y.add(yValue);
		}
		List<String> warnings = new ArrayList<>();
		if (missingTarget > 0) {
			warnings.add(missingTarget + " row(s) without a target value were skipped");
		}
		if (unknownClass > 0) {
			warnings.add(unknownClass + " row(s) whose class the model never saw were skipped");
		}
		if (unseenCategories > 0) {
			warnings.add(unseenCategories + " categorical value(s) unseen in training were treated as missing");
		}
		if (x.isEmpty()) {
			throw DomainException.unprocessable("No row of dataset '" + dataset.getId() + "' can be evaluated.",
					List.of(FieldError.field(model.getTarget(), String.join("; ", warnings))));
		}
		double[][] out = artifact.predictBatch(x.toArray(double[][]::new));
		Object metrics;
		if (regression) {
			double[] predicted = new double[out.length];
			double[] actual = new double[out.length];
			for (int i = 0; i < out.length; i++) {
				predicted[i] = out[i][0];
				actual[i] = y.get(i);
			}
			metrics = Metrics.regression(actual, predicted);
		}
		else {
			int[] actual = new int[out.length];
			for (int i = 0; i < out.length; i++) {
				actual[i] = (int) Math.round(y.get(i));
			}
			metrics = Metrics.classification(actual, out, labels);
		}
		return repository.save(ModelEvaluation.of(model.getId(), dataset.getId(), dataset.getName(),
				dataset.getSha256(), x.size(), missingTarget + unknownClass, metrics, warnings));
	}

	@Transactional(readOnly = true)
	public List<ModelEvaluation> list(String modelId) {
		TrainedModel model = models.get(modelId);
		return repository.findByModelIdOrderByCreatedAtDesc(model.getId());
	}

}
