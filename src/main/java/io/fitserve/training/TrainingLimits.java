package io.fitserve.training;

import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.training.algorithms.Resampling;
import io.fitserve.training.algorithms.TrainingParameters;
import io.fitserve.ml.resample.ResampleMethod;
import io.fitserve.training.algorithms.WorkUnits;
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
 * too large, too many model parameters, or too much work (epochs, trees or boosting
 * iterations x training rows x fits). Each message gives the computed figure and the
 * limit with its property.
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
		if (spec.task() == Task.CLUSTERING) {
			// every row is fitted: no target, no hold-outs
			checkClustering(spec, frame, errors);
			checkSize(spec, frame, null, limits, new Resampled(frame.rows(), 0), 0, 0, errors);
			return;
		}
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
		Resampling resampling = spec.hyperparameters() == null ? null : spec.hyperparameters().resampling();
		Resampled resampled = new Resampled(train, 0);
		if (resampling != null && spec.task() == Task.CLASSIFICATION && target.codes() != null) {
			resampled = resampled(target, resampling, train, errors);
		}
		checkSize(spec, frame, target, limits, resampled, test, validation, errors);
	}

	/**
	 * The training rows after resampling, estimated from the class counts of every row
	 * with a target (the split is stratified); a class SMOTE would raise that has no more
	 * rows than smoteNeighbors even in the whole dataset is refused, and so is a
	 * neighbour search (rows of each raised class squared x encoded columns, x fits)
	 * above max-work. A fold or split can still leave a class too few rows: the fit then
	 * fails with the same message.
	 */
	private static Resampled resampled(ColumnData target, Resampling resampling, long train, List<FieldError> errors) {
		int[] counts = new int[target.levels().size()];
		for (int code : target.codes()) {
			if (code >= 0) {
				counts[code]++;
			}
		}
		int[] after = resampling.targetCounts(counts);
		long before = 0;
		long total = 0;
		double share = (double) train / Math.max(1, java.util.Arrays.stream(counts).sum());
		double searched = 0;
		for (int c = 0; c < counts.length; c++) {
			before += counts[c];
			total += after[c];
			if (resampling.method() == ResampleMethod.SMOTE && after[c] > counts[c]) {
				if (counts[c] <= resampling.neighbours()) {
					errors.add(FieldError.field("hyperparameters.smoteNeighbors",
							"class '" + SpecResolver.echo(target.levels().get(c)) + "' has " + counts[c]
									+ " row(s) in the whole dataset; SMOTE with smoteNeighbors "
									+ resampling.neighbours() + " needs at least " + (resampling.neighbours() + 1)
									+ " in the rows each fit trains on: lower smoteNeighbors, or use resample "
									+ "oversample"));
				}
				double rows = counts[c] * share;
				searched += rows * rows;
			}
		}
		long rows = before == 0 ? train : (long) Math.ceil((double) train * total / before);
		return new Resampled(rows, searched);
	}

	/**
	 * Training rows after resampling, and the row pairs SMOTE's neighbour search compares
	 * per fit (0 for the other methods).
	 */
	record Resampled(long train, double searchedPairs) {
	}

	/**
	 * The encoded width, the matrix size, the model's parameters and the work of the fits
	 * on the training rows (after resampling), and SMOTE's neighbour search.
	 */
	private static void checkSize(TrainingSpec spec, DatasetFrame frame, ColumnData target, TrainingProperties limits,
			Resampled resampled, long test, long validation, List<FieldError> errors) {
		long train = resampled.train();
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
		if (resampled.searchedPairs() > 0) {
			Fits fits = fits(spec, test, validation);
			double search = resampled.searchedPairs() * Math.max(1, width) * fits.count();
			if (search > limits.maxWork()) {
				errors.add(FieldError.field("hyperparameters.resample",
						"SMOTE's neighbour search (training rows of each class it raises, squared, x encoded columns"
								+ fits.factor() + ") is " + String.format(Locale.ROOT, "%,.0f", search)
								+ ", more than the limit of " + String.format(Locale.ROOT, "%,d", limits.maxWork())
								+ " (fitserve.training.max-work): use resample oversample or undersample"));
			}
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
		WorkUnits units = descriptor.workUnits(h, width);
		if (units != null) {
			Fits fits = fits(spec, test, validation);
			long work = units.count() * train * fits.count();
			if (work > limits.maxWork()) {
				errors.add(FieldError.field(units.field(), units.name() + " x training rows" + fits.factor() + " is "
						+ String.format(Locale.ROOT, "%,d", work) + ", more than the limit of "
						+ String.format(Locale.ROOT, "%,d", limits.maxWork()) + " (fitserve.training.max-work)"));
			}
		}
	}

	/**
	 * k-means needs at least k rows, and with k "auto" more rows than kMin (the
	 * silhouette needs fewer clusters than rows).
	 */
	private static void checkClustering(TrainingSpec spec, DatasetFrame frame, List<FieldError> errors) {
		if (!(spec.hyperparameters() instanceof io.fitserve.training.algorithms.KMeansParameters p)) {
			return;
		}
		long rows = frame.rows();
		long needed = p.autoK() ? p.kMin() + 1L : ((Number) p.k()).longValue();
		if (rows < needed) {
			errors.add(FieldError.field(p.autoK() ? "hyperparameters.kMin" : "hyperparameters.k",
					"the dataset has " + rows + " row(s); "
							+ (p.autoK() ? "k \"auto\" from kMin " + p.kMin() + " needs at least " + needed
									: p.k() + " clusters need at least " + needed)));
		}
	}

	/**
	 * How many fits a job makes and how its message writes the factor: one per fold and
	 * one on the non-test rows with cross-validation (else one), and one more on every
	 * row when the spec refits and rows are held out from the evaluated model.
	 */
	record Fits(long count, String factor) {
	}

	static Fits fits(TrainingSpec spec, long test, long validation) {
		if (spec.crossValidation() == null) {
			boolean refit = spec.refit() && test + validation > 0;
			return refit ? new Fits(2, " x 2 (the evaluated model and the refit)") : new Fits(1, "");
		}
		long folds = spec.crossValidation().folds();
		boolean refit = spec.refit() && test > 0;
		return refit ? new Fits(folds + 2, " x (folds + 2: the folds, the evaluated model and the refit)")
				: new Fits(folds + 1, " x (folds + 1)");
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
