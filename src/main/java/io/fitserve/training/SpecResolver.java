package io.fitserve.training;

import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fitserve.datasets.ColumnSchema;
import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.ValueParser;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.training.algorithms.TrainingParameters;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;

/**
 * Validates a training request against the dataset and fills in every default; collects
 * all problems at once so the client can fix them in one go.
 */
final class SpecResolver {

	static final double DEFAULT_VALIDATION_FRACTION = 0.1;

	static final double DEFAULT_TEST_FRACTION = 0.2;

	static final long DEFAULT_SEED = 42;

	/**
	 * Numeric targets with at most this many distinct integer values are treated as
	 * classes by mlp.
	 */
	static final int MAX_INFERRED_CLASSES = 10;

	static final int MAX_CLASSES = 1000;

	/** Longest column name a spec may name (the stored target column's width). */
	static final int MAX_NAME_LENGTH = 255;

	private SpecResolver() {
	}

	static TrainingSpec resolve(TrainingJobRequest request, Dataset dataset, DatasetFrame frame) {
		List<FieldError> errors = new ArrayList<>();
		TrainingSpec spec = resolve(request, dataset, frame, errors);
		if (!errors.isEmpty()) {
			throw DomainException.invalid("The training job specification is not valid.", errors);
		}
		return spec;
	}

	static TrainingSpec resolve(TrainingJobRequest request, Dataset dataset, DatasetFrame frame,
			List<FieldError> errors) {
		AlgorithmDescriptor<?> algorithm = algorithm(request.algorithm(), errors);
		String target = request.target();
		ColumnSchema targetColumn = null;
		boolean clustering = clustering(request, algorithm);
		if (clustering && target != null) {
			errors.add(FieldError.field("target", "clustering has no target; leave target out (evaluate the model "
					+ "against a labelled dataset with POST /api/v1/models/{id}/evaluations and labelColumn)"));
			target = null;
		}
		else if (clustering) {
			// no target: every column is a feature
		}
		else if (target == null || target.isBlank()) {
			errors.add(FieldError.field("target", "is required"));
		}
		else if (target.length() > MAX_NAME_LENGTH) {
			errors.add(FieldError.field("target",
					"is " + target.length() + " characters long; column names have at " + "most " + MAX_NAME_LENGTH));
			target = null;
		}
		else {
			targetColumn = dataset.column(target);
			if (targetColumn == null) {
				errors.add(FieldError.field("target",
						"no column '" + echo(target) + "' in the dataset; columns: " + columnNames(dataset)));
			}
		}
		List<String> features = resolveFeatures(request, dataset, target, errors);
		Task task = clustering ? clusteringTask(request, algorithm, errors)
				: resolveTask(request, algorithm, targetColumn, frame, errors);
		List<String> classLabels = task == Task.CLASSIFICATION && targetColumn != null
				&& frame.column(target).codes() != null ? PreparedData.classLabels(frame.column(target)) : null;
		TrainingParameters hyperparameters = algorithm == null ? null
				: resolveHyperparameters(request.hyperparameters(), algorithm.name(), task, classLabels, errors);
		double validationFraction = fraction("validationFraction", request.validationFraction(),
				usesValidation(algorithm, hyperparameters) ? DEFAULT_VALIDATION_FRACTION : 0.0, errors);
		double testFraction = fraction("testFraction", request.testFraction(), DEFAULT_TEST_FRACTION, errors);
		if (validationFraction + testFraction > 0.8) {
			errors.add(FieldError.field("testFraction", "validationFraction + testFraction must be <= 0.8"));
		}
		if (clustering) {
			testFraction = 0;
			validationFraction = 0;
			refuseForClustering(request, errors);
		}
		CrossValidation crossValidation = clustering ? null : crossValidation(request.crossValidation(), task, errors);
		long seed = request.seed() == null ? DEFAULT_SEED : request.seed();
		// a request without refit asks for it; a stored spec without it was not refit;
		// clustering fits once on every row, so there is nothing to refit
		boolean refit = !clustering && (request.refit() == null || request.refit());
		return new TrainingSpec(dataset.getId(), target, features, task, algorithm == null ? null : algorithm.name(),
				hyperparameters, validationFraction, testFraction, crossValidation, refit, seed);
	}

	/**
	 * Whether the request asks for clustering: task "clustering", or no task and an
	 * algorithm that only clusters.
	 */
	private static boolean clustering(TrainingJobRequest request, AlgorithmDescriptor<?> algorithm) {
		if (request.task() != null) {
			return Task.CLUSTERING.wireName().equals(request.task());
		}
		return algorithm != null && algorithm.tasks().equals(List.of(Task.CLUSTERING));
	}

	/** The clustering task, if the algorithm clusters (an error naming those that do). */
	private static Task clusteringTask(TrainingJobRequest request, AlgorithmDescriptor<?> algorithm,
			List<FieldError> errors) {
		if (algorithm != null && !algorithm.tasks().contains(Task.CLUSTERING)) {
			errors.add(FieldError.field("task",
					algorithm.name() + " does not cluster; clustering algorithms: "
							+ String.join(", ",
									AlgorithmRegistry.all()
										.stream()
										.filter(a -> a.tasks().contains(Task.CLUSTERING))
										.map(AlgorithmDescriptor::name)
										.toList())));
		}
		return Task.CLUSTERING;
	}

	/**
	 * Clustering fits once on every row and has no target to score held-out rows against:
	 * the split, cross-validation and refit options are refused rather than ignored.
	 */
	private static void refuseForClustering(TrainingJobRequest request, List<FieldError> errors) {
		String why = "does not apply to clustering, which fits on every row (score a labelled dataset with "
				+ "POST /api/v1/models/{id}/evaluations instead)";
		if (request.testFraction() != null && request.testFraction() != 0) {
			errors.add(FieldError.field("testFraction", why));
		}
		if (request.validationFraction() != null && request.validationFraction() != 0) {
			errors.add(FieldError.field("validationFraction", why));
		}
		if (request.crossValidation() != null) {
			errors.add(FieldError.field("crossValidation", why));
		}
		if (Boolean.TRUE.equals(request.refit())) {
			errors.add(FieldError.field("refit", why));
		}
	}

	/** The algorithm called name; null (and an error naming the algorithms) if none. */
	static AlgorithmDescriptor<?> algorithm(String name, List<FieldError> errors) {
		if (name == null) {
			errors.add(FieldError.field("algorithm",
					"is required; allowed: " + String.join(", ", AlgorithmRegistry.names())));
			return null;
		}
		AlgorithmDescriptor<?> descriptor = AlgorithmRegistry.find(name);
		if (descriptor == null) {
			errors.add(FieldError.field("algorithm",
					"unknown value '" + echo(name) + "'; allowed: " + String.join(", ", AlgorithmRegistry.names())));
		}
		return descriptor;
	}

	/**
	 * Whether training watches a validation split. Only then is one held out by default:
	 * like scikit-learn, exact and L-BFGS solvers and the kernel SVM train on every
	 * non-test row.
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	static boolean usesValidation(AlgorithmDescriptor<?> algorithm, TrainingParameters h) {
		if (algorithm == null || h == null) {
			return false;
		}
		return ((AlgorithmDescriptor) algorithm).usesValidation(h);
	}

	private static CrossValidation crossValidation(TrainingJobRequest.CrossValidationRequest request, Task task,
			List<FieldError> errors) {
		if (request == null) {
			return null;
		}
		int folds = request.folds() == null ? 5 : request.folds();
		if (folds < 2 || folds > 20) {
			errors.add(FieldError.field("crossValidation.folds", "must be between 2 and 20"));
		}
		boolean stratified = request.stratified() == null ? task == Task.CLASSIFICATION : request.stratified();
		if (stratified && task == Task.REGRESSION) {
			errors.add(FieldError.field("crossValidation.stratified", "stratification needs a classification task"));
		}
		return new CrossValidation(folds, stratified);
	}

	private static List<String> resolveFeatures(TrainingJobRequest request, Dataset dataset, String target,
			List<FieldError> errors) {
		if (request.features() == null) {
			return dataset.getColumns().stream().map(ColumnSchema::name).filter(n -> !n.equals(target)).toList();
		}
		if (request.features().isEmpty()) {
			errors.add(FieldError.field("features", "must name at least one column (or be omitted for all)"));
			return List.of();
		}
		Set<String> seen = new HashSet<>();
		for (String feature : request.features()) {
			if (feature == null) {
				errors.add(FieldError.field("features", "must not contain null"));
			}
			else if (dataset.column(feature) == null) {
				errors.add(FieldError.field("features",
						"no column '" + echo(feature) + "' in the dataset; columns: " + columnNames(dataset)));
			}
			else if (feature.equals(target)) {
				errors.add(FieldError.field("features", "the target '" + target + "' cannot also be a feature"));
			}
			else if (!seen.add(feature)) {
				errors.add(FieldError.field("features", "'" + feature + "' is listed twice"));
			}
		}
		return request.features().stream().filter(java.util.Objects::nonNull).toList();
	}

	private static Task resolveTask(TrainingJobRequest request, AlgorithmDescriptor<?> algorithm, ColumnSchema target,
			DatasetFrame frame, List<FieldError> errors) {
		Task requested = ParameterReader.parseEnum("task", request.task(), Task.values(), errors, false);
		if (algorithm == null || target == null) {
			return requested;
		}
		ColumnData data = frame.column(target.name());
		if (data.codes() != null ? Arrays.stream(data.codes()).noneMatch(c -> c >= 0)
				: Arrays.stream(data.values()).allMatch(Double::isNaN)) {
			errors.add(FieldError.field("target", "'" + echo(target.name()) + "' has no values: every row is missing"));
			return requested;
		}
		boolean numeric = target.type() == ColumnType.NUMERIC;
		boolean classable = !numeric || data.codes() != null;
		Task implied = impliedTask(algorithm);
		if (implied == Task.CLUSTERING) {
			errors.add(FieldError.field("task", algorithm.name() + " supports only clustering (leave target out)"));
			return requested;
		}
		if (requested != null && implied != null && requested != implied) {
			errors.add(FieldError.field("task", algorithm.name() + " supports only " + implied.wireName()));
			return requested;
		}
		Task task = requested != null ? requested : implied;
		if (task == null) {
			task = (!numeric || looksLikeClasses(data)) ? Task.CLASSIFICATION : Task.REGRESSION;
		}
		if (task == Task.REGRESSION && !numeric) {
			errors.add(FieldError.field("target",
					"'" + target.name() + "' is " + target.type().wireName() + "; regression needs a numeric target"));
		}
		if (task == Task.CLASSIFICATION) {
			int classes = classable ? distinctPresent(data) : Integer.MAX_VALUE;
			if (classes > MAX_CLASSES) {
				errors.add(FieldError.field("target", "'" + target.name()
						+ "' has too many distinct values for classification (limit " + MAX_CLASSES + ")"));
			}
			else if (classes < 2) {
				errors.add(FieldError.field("target",
						"'" + target.name() + "' has " + classes + " class(es); classification needs at least 2"));
			}
		}
		return task;
	}

	/**
	 * The only task an algorithm supports; null when it supports both (mlp: inferred from
	 * the target).
	 */
	static Task impliedTask(AlgorithmDescriptor<?> algorithm) {
		return algorithm.tasks().size() == 1 ? algorithm.tasks().get(0) : null;
	}

	private static boolean looksLikeClasses(ColumnData data) {
		if (data.codes() == null) {
			return false;
		}
		int present = distinctPresent(data);
		if (present > MAX_INFERRED_CLASSES) {
			return false;
		}
		for (String level : data.levels()) {
			double v = ValueParser.parseNumber(level);
			if (v != Math.rint(v)) {
				return false;
			}
		}
		return true;
	}

	private static int distinctPresent(ColumnData data) {
		boolean[] seen = new boolean[data.levels().size()];
		int count = 0;
		for (int code : data.codes()) {
			if (code >= 0 && !seen[code]) {
				seen[code] = true;
				count++;
			}
		}
		return count;
	}

	/**
	 * Resolves the hyperparameters of the algorithm called name: a name no algorithm
	 * takes is unknown, one another algorithm takes does not apply, and the algorithm's
	 * descriptor checks and fills in the rest. Every problem goes to errors.
	 */
	static TrainingParameters resolveHyperparameters(Map<String, Object> given, String name, Task task,
			List<String> classLabels, List<FieldError> errors) {
		AlgorithmDescriptor<?> algorithm = AlgorithmRegistry.get(name);
		Map<String, Object> h = given == null ? Map.of() : given;
		List<String> allowed = algorithm.parameterNames();
		List<String> known = AlgorithmRegistry.parameterNames();
		for (String key : h.keySet()) {
			if (!known.contains(key)) {
				errors.add(FieldError.field("hyperparameters." + key,
						"unknown hyperparameter; allowed for " + name + ": " + String.join(", ", allowed)));
			}
			else if (!allowed.contains(key)) {
				errors.add(FieldError.field("hyperparameters." + key,
						"does not apply to " + name + "; allowed: " + String.join(", ", allowed)));
			}
		}
		Map<String, Object> applicable = new LinkedHashMap<>(h);
		applicable.keySet().retainAll(allowed);
		return algorithm.resolve(new ParameterReader(applicable, errors), task, classLabels);
	}

	/**
	 * The hyperparameters algorithm takes, in a stable order; any other name is refused
	 * with a 400.
	 */
	static List<String> allowedFor(String algorithm) {
		return AlgorithmRegistry.get(algorithm).parameterNames();
	}

	private static double fraction(String field, Double value, double fallback, List<FieldError> errors) {
		if (value == null) {
			return fallback;
		}
		if (!(value >= 0 && value <= 0.5)) {
			errors.add(FieldError.field(field, "must be between 0 and 0.5"));
			return fallback;
		}
		return value;
	}

	/**
	 * A client-supplied name as echoed in a message: long ones are cut, so an error stays
	 * small.
	 */
	static String echo(String value) {
		return ParameterReader.echo(value);
	}

	private static String columnNames(Dataset dataset) {
		return dataset.getColumns().stream().map(ColumnSchema::name).collect(Collectors.joining(", "));
	}

}
