package io.fitserve.training;

import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.training.algorithms.TrainingParameters;
import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.fitserve.datasets.DatasetFrame;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;

/**
 * What a resolved spec would cost, refused before a job is queued: too few rows for the
 * splits, a categorical feature with too many values, an encoded width or a design matrix
 * too large, too many model parameters, or too much work (epochs x training rows). Each
 * message gives the computed figure and the limit with its property.
 */
final class TrainingLimits {

	private TrainingLimits() {
	}

	static void check(TrainingSpec spec, DatasetFrame frame, TrainingProperties limits) {
		List<FieldError> errors = new ArrayList<>();
		check(spec, frame, limits, errors);
		if (!errors.isEmpty()) {
			throw DomainException.unprocessable("The dataset cannot train this specification within the limits.",
					errors);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	static void check(TrainingSpec spec, DatasetFrame frame, TrainingProperties limits, List<FieldError> errors) {
		ColumnData target = frame.column(spec.target());
		if (target == null) {
			return;
		}
		long present = presentRows(target);
		if (present == 0) {
			errors.add(FieldError.field("target", "'" + spec.target() + "' has no values: every row is missing"));
			return;
		}
		long test = Math.round(present * spec.testFraction());
		long validation = Math.round(present * spec.validationFraction());
		long train = present - test - validation;
		if (spec.testFraction() > 0 && test < 1 || spec.validationFraction() > 0 && validation < 1 || train < 2) {
			errors.add(FieldError.field("testFraction",
					"the dataset has " + present + " row(s) with a target; " + "testFraction " + spec.testFraction()
							+ " and validationFraction " + spec.validationFraction() + " leave " + train
							+ " for training, " + test + " for test and " + validation
							+ " for validation; each split in use needs at least 1 row and training at least 2"));
			return;
		}
		if (spec.crossValidation() != null && spec.crossValidation().folds() > train) {
			errors.add(FieldError.field("crossValidation.folds",
					spec.crossValidation().folds() + " folds need at least as many training rows; there are " + train));
		}
		long width = 0;
		for (String name : spec.features()) {
			ColumnData feature = frame.column(name);
			if (feature == null) {
				continue;
			}
			if (feature.type() == ColumnType.NUMERIC) {
				width++;
				continue;
			}
			int categories = feature.levels().size();
			if (categories > limits.maxCategories()) {
				errors.add(FieldError.field("features",
						"'" + SpecResolver.echo(name) + "' has " + categories
								+ " distinct values, more than the limit of " + limits.maxCategories()
								+ " (fitserve.training.max-categories); leave it out of features"));
			}
			width += categories;
		}
		if (width > limits.maxEncodedFeatures()) {
			errors.add(FieldError.field("features",
					"the features encode to " + width
							+ " columns (one per numeric feature, one per category), more than the limit of "
							+ limits.maxEncodedFeatures() + " (fitserve.training.max-encoded-features)"));
			return;
		}
		if (train * width > Integer.MAX_VALUE - 16) {
			errors.add(FieldError.field("features", train + " training rows x " + width + " encoded columns is "
					+ train * width + " values, more than one matrix can hold (" + (Integer.MAX_VALUE - 16) + ")"));
			return;
		}
		TrainingParameters h = spec.hyperparameters();
		AlgorithmDescriptor descriptor = spec.algorithm() == null ? null : AlgorithmRegistry.find(spec.algorithm());
		if (h == null || descriptor == null) {
			return;
		}
		int outputs = spec.task() == Task.CLASSIFICATION ? Math.max(1, classes(target)) : 1;
		long parameters = descriptor.modelParameters(h, width, outputs);
		if (parameters > limits.maxParameters()) {
			String field = descriptor.modelParametersField();
			errors.add(FieldError.field(field, "the model would have " + String.format(Locale.ROOT, "%,d", parameters)
					+ " parameters, more than the limit of " + String.format(Locale.ROOT, "%,d", limits.maxParameters())
					+ " (fitserve.training.max-parameters)"));
		}
		if (descriptor.iterative(h, width) && h.epochs() != null) {
			long fits = spec.crossValidation() == null ? 1 : spec.crossValidation().folds() + 1L;
			long work = h.epochs() * train * fits;
			if (work > limits.maxWork()) {
				errors.add(FieldError.field("hyperparameters.epochs",
						"epochs x training rows" + (fits > 1 ? " x (folds + 1)" : "") + " is "
								+ String.format(Locale.ROOT, "%,d", work) + ", more than the limit of "
								+ String.format(Locale.ROOT, "%,d", limits.maxWork())
								+ " (fitserve.training.max-work)"));
			}
		}
	}

	private static long presentRows(ColumnData column) {
		long n = 0;
		if (column.codes() != null) {
			for (int code : column.codes()) {
				if (code >= 0) {
					n++;
				}
			}
			return n;
		}
		for (double v : column.values()) {
			if (!Double.isNaN(v)) {
				n++;
			}
		}
		return n;
	}

	private static int classes(ColumnData column) {
		return column.levels() == null ? 1 : column.levels().size();
	}

}
