package io.fitserve.models;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.preprocess.FeatureTransform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.privacy.MaskMode;
import io.fitserve.privacy.Pseudonymizer;

/**
 * The rows of an uploaded dataset a stored model can be scored on, as evaluations and
 * fairness reports read them: the same column checks, the same error bodies, the same
 * rows skipped (no target, or a class the model never saw) and the same warnings.
 *
 * @param x the encoded feature rows
 * @param y per row the target (regression) or the model's class index
 * @param rowIndex per row its index in the dataset
 * @param skipped rows left out: no target value, or a class the model never saw
 * @param warnings what was skipped or imputed, in words
 */
record EvaluationRows(double[][] x, double[] y, int[] rowIndex, long skipped, List<String> warnings) {

	/**
	 * Why the dataset cannot be scored by the model: a feature or the target missing, or
	 * of the wrong type; empty when it can.
	 */
	static List<FieldError> check(TrainedModel model, DatasetFrame frame, ModelArtifact artifact) {
		List<FieldError> errors = checkFeatures(frame, artifact);
		errors.addAll(checkTarget(model, frame, artifact));
		return errors;
	}

	/** The feature columns missing from the dataset, or of the wrong type. */
	static List<FieldError> checkFeatures(DatasetFrame frame, ModelArtifact artifact) {
		List<FieldError> errors = new ArrayList<>();
		for (FeatureTransform feature : artifact.preprocessing().features()) {
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
		}
		return errors;
	}

	/** The target column missing from the dataset, or of the wrong type. */
	static List<FieldError> checkTarget(TrainedModel model, DatasetFrame frame, ModelArtifact artifact) {
		List<FieldError> errors = new ArrayList<>();
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
		return errors;
	}

	/** The 422 for a dataset that does not fit the model. */
	static DomainException doesNotFit(TrainedModel model, Dataset dataset, List<FieldError> errors) {
		return DomainException
			.unprocessable("Dataset '" + dataset.getId() + "' does not fit model '" + model.getId() + "'.", errors);
	}

	/**
	 * Reads and encodes the rows (after {@link #check} found nothing); 422 when no row
	 * can be scored.
	 */
	static EvaluationRows read(TrainedModel model, Dataset dataset, DatasetFrame frame, ModelArtifact artifact,
			Pseudonymizer pseudonymizer) {
		List<FeatureTransform> features = artifact.preprocessing().features();
		List<ColumnData> columns = featureColumns(model, frame, artifact, pseudonymizer);
		ColumnData target = frame.column(model.getTarget());
		boolean regression = artifact.task() == Task.REGRESSION;
		List<String> labels = artifact.classLabels();
		// the model's class index of each of the target column's levels, -1 for classes
		// it never saw
		int[] classOfCode = regression ? null : target.levels().stream().mapToInt(labels::indexOf).toArray();
		List<double[]> x = new ArrayList<>();
		double[] y = new double[frame.rows()];
		int[] rowIndex = new int[frame.rows()];
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
			unseenCategories += readRow(artifact, columns, r, values);
			y[x.size()] = yValue;
			rowIndex[x.size()] = r;
			x.add(artifact.preprocessing().transformRow(values));
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
		return new EvaluationRows(x.toArray(double[][]::new), Arrays.copyOf(y, x.size()),
				Arrays.copyOf(rowIndex, x.size()), missingTarget + unknownClass, warnings);
	}

	/**
	 * The dataset's column of each feature, in the model's order; the feature of a model
	 * trained on a masked column gets its levels masked the same way (tokens and shapes,
	 * as a dataset uploaded with that mask stores them, stay as they are), so a dataset
	 * uploaded without the mask is scored as one uploaded with it.
	 */
	static List<ColumnData> featureColumns(TrainedModel model, DatasetFrame frame, ModelArtifact artifact,
			Pseudonymizer pseudonymizer) {
		Map<String, MaskMode> masks = new HashMap<>();
		for (FeatureInfo f : model.getFeatures()) {
			if (f.mask() != null) {
				masks.put(f.name(), f.mask());
			}
		}
		List<ColumnData> columns = new ArrayList<>();
		for (FeatureTransform f : artifact.preprocessing().features()) {
			ColumnData column = frame.column(f.name());
			MaskMode mask = masks.get(f.name());
			if (mask != null && column.levels() != null && column.codes() != null) {
				List<String> levels = column.levels().stream().map(v -> pseudonymizer.apply(mask, v)).toList();
				column = new ColumnData(column.name(), column.type(), column.values(), column.codes(), levels);
			}
			columns.add(column);
		}
		return columns;
	}

	/**
	 * Puts row r's raw feature values into values (null for missing); returns how many of
	 * its categories the model never saw.
	 */
	static int readRow(ModelArtifact artifact, List<ColumnData> columns, int r, Object[] values) {
		List<FeatureTransform> features = artifact.preprocessing().features();
		int unseen = 0;
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
					unseen++;
				}
				values[j] = category;
			}
		}
		return unseen;
	}

}
