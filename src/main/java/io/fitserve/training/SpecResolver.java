package io.fitserve.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.fitserve.datasets.ColumnData;
import io.fitserve.datasets.ColumnSchema;
import io.fitserve.datasets.ColumnType;
import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.ValueParser;
import io.fitserve.ml.Activation;
import io.fitserve.ml.Algorithm;
import io.fitserve.ml.OptimizerKind;
import io.fitserve.ml.Task;
import io.fitserve.web.ApiException;
import io.fitserve.web.FieldError;

/**
 * Validates a training request against the dataset and fills in every default; collects all
 * problems at once so the client can fix them in one go.
 */
final class SpecResolver {

	static final double DEFAULT_VALIDATION_FRACTION = 0.1;

	static final double DEFAULT_TEST_FRACTION = 0.2;

	static final long DEFAULT_SEED = 42;

	/** Numeric targets with at most this many distinct integer values are treated as classes by mlp. */
	static final int MAX_INFERRED_CLASSES = 10;

	static final int MAX_CLASSES = 1000;

	private static final Set<String> HYPERPARAMETERS = new LinkedHashSet<>(List.of("optimizer", "learningRate",
			"epochs", "batchSize", "l2", "hiddenLayers", "activation", "earlyStoppingPatience", "momentum"));

	private SpecResolver() {
	}

	static TrainingSpec resolve(TrainingJobRequest request, Dataset dataset, DatasetFrame frame) {
		List<FieldError> errors = new ArrayList<>();
		Algorithm algorithm = parseEnum("algorithm", request.algorithm(), Algorithm.values(), errors, true);
		String target = request.target();
		ColumnSchema targetColumn = null;
		if (target == null || target.isBlank()) {
			errors.add(FieldError.field("target", "is required"));
		}
		else {
			targetColumn = dataset.column(target);
			if (targetColumn == null) {
				errors.add(FieldError.field("target", "no column '" + target + "' in the dataset; columns: "
						+ columnNames(dataset)));
			}
		}
		List<String> features = resolveFeatures(request, dataset, target, errors);
		Task task = resolveTask(request, algorithm, targetColumn, frame, errors);
		Hyperparameters hyperparameters = algorithm == null ? null
				: resolveHyperparameters(request.hyperparameters(), algorithm, errors);
		double validationFraction = fraction("validationFraction", request.validationFraction(),
				DEFAULT_VALIDATION_FRACTION, errors);
		double testFraction = fraction("testFraction", request.testFraction(), DEFAULT_TEST_FRACTION, errors);
		if (validationFraction + testFraction > 0.8) {
			errors.add(FieldError.field("testFraction", "validationFraction + testFraction must be <= 0.8"));
		}
		long seed = request.seed() == null ? DEFAULT_SEED : request.seed();
		if (!errors.isEmpty()) {
			throw ApiException.invalid("The training job specification is not valid.", errors);
		}
		return new TrainingSpec(dataset.getId(), target, features, task, algorithm, hyperparameters,
				validationFraction, testFraction, seed);
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
			if (feature == null || dataset.column(feature) == null) {
				errors.add(FieldError.field("features",
						"no column '" + feature + "' in the dataset; columns: " + columnNames(dataset)));
			}
			else if (feature.equals(target)) {
				errors.add(FieldError.field("features", "the target '" + target + "' cannot also be a feature"));
			}
			else if (!seen.add(feature)) {
				errors.add(FieldError.field("features", "'" + feature + "' is listed twice"));
			}
		}
		return List.copyOf(request.features());
	}

	private static Task resolveTask(TrainingJobRequest request, Algorithm algorithm, ColumnSchema target,
			DatasetFrame frame, List<FieldError> errors) {
		Task requested = parseEnum("task", request.task(), Task.values(), errors, false);
		if (algorithm == null || target == null) {
			return requested;
		}
		ColumnData data = frame.column(target.name());
		boolean numeric = target.type() == ColumnType.NUMERIC;
		boolean classable = !numeric || data.codes() != null;
		Task implied = switch (algorithm) {
			case LINEAR_REGRESSION -> Task.REGRESSION;
			case LOGISTIC_REGRESSION, LINEAR_SVM, SVM -> Task.CLASSIFICATION;
			case MLP -> null;
		};
		if (requested != null && implied != null && requested != implied) {
			errors.add(FieldError.field("task", algorithm.wireName() + " supports only " + implied.wireName()));
			return requested;
		}
		Task task = requested != null ? requested : implied;
		if (task == null) {
			task = (!numeric || looksLikeClasses(data)) ? Task.CLASSIFICATION : Task.REGRESSION;
		}
		if (task == Task.REGRESSION && !numeric) {
			errors.add(FieldError.field("target", "'" + target.name() + "' is " + target.type().wireName()
					+ "; regression needs a numeric target"));
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

	private static Hyperparameters resolveHyperparameters(Map<String, Object> given, Algorithm algorithm,
			List<FieldError> errors) {
		Map<String, Object> h = given == null ? Map.of() : given;
		for (String key : h.keySet()) {
			if (!HYPERPARAMETERS.contains(key)) {
				errors.add(FieldError.field("hyperparameters." + key, "unknown hyperparameter; allowed: "
						+ String.join(", ", HYPERPARAMETERS)));
			}
		}
		boolean mlp = algorithm == Algorithm.MLP;
		Defaults d = Defaults.of(algorithm);
		OptimizerKind optimizer = parseEnum("hyperparameters.optimizer", string(h, "optimizer", errors),
				OptimizerKind.values(), errors, false);
		double learningRate = number(h, "learningRate", d.learningRate, 0, false, 10, errors);
		int epochs = (int) integer(h, "epochs", d.epochs, 1, 100_000, errors);
		int batchSize = (int) integer(h, "batchSize", d.batchSize, 1, 1_000_000, errors);
		double l2 = number(h, "l2", d.l2, 0, true, 1000, errors);
		int patience = (int) integer(h, "earlyStoppingPatience", d.patience, 0, 100_000, errors);
		double momentum = number(h, "momentum", 0.9, 0, true, 0.999, errors);
		List<Integer> hidden = List.of();
		Activation activation = null;
		if (mlp) {
			hidden = hiddenLayers(h.get("hiddenLayers"), errors);
			activation = parseEnum("hyperparameters.activation", string(h, "activation", errors), Activation.values(),
					errors, false);
			if (activation == null) {
				activation = Activation.RELU;
			}
		}
		else {
			for (String mlpOnly : List.of("hiddenLayers", "activation")) {
				if (h.containsKey(mlpOnly)) {
					errors.add(FieldError.field("hyperparameters." + mlpOnly, "applies only to the mlp algorithm"));
				}
			}
		}
		return new Hyperparameters(optimizer == null ? OptimizerKind.ADAM : optimizer, learningRate, epochs,
				batchSize, l2, hidden, activation, patience, momentum);
	}

	private static List<Integer> hiddenLayers(Object value, List<FieldError> errors) {
		if (value == null) {
			return Defaults.HIDDEN_LAYERS;
		}
		String field = "hyperparameters.hiddenLayers";
		if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > 10) {
			errors.add(FieldError.field(field, "must be a list of 1 to 10 layer widths, e.g. [64, 32]"));
			return List.of();
		}
		List<Integer> widths = new ArrayList<>();
		for (Object o : list) {
			if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
					|| n.doubleValue() > 4096) {
				errors.add(FieldError.field(field, "each width must be an integer from 1 to 4096, got " + o));
				return List.of();
			}
			widths.add(n.intValue());
		}
		return List.copyOf(widths);
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

	private static String string(Map<String, Object> h, String key, List<FieldError> errors) {
		Object v = h.get(key);
		if (v == null || v instanceof String) {
			return (String) v;
		}
		errors.add(FieldError.field("hyperparameters." + key, "must be a string"));
		return null;
	}

	private static double number(Map<String, Object> h, String key, double fallback, double min, boolean minInclusive,
			double max, List<FieldError> errors) {
		Object v = h.get(key);
		if (v == null) {
			return fallback;
		}
		String field = "hyperparameters." + key;
		if (!(v instanceof Number n)) {
			errors.add(FieldError.field(field, "must be a number"));
			return fallback;
		}
		double x = n.doubleValue();
		boolean aboveMin = minInclusive ? x >= min : x > min;
		if (!(aboveMin && x <= max)) {
			errors.add(FieldError.field(field,
					"must be " + (minInclusive ? ">= " : "> ") + fmt(min) + " and <= " + fmt(max) + ", got " + v));
			return fallback;
		}
		return x;
	}

	private static long integer(Map<String, Object> h, String key, long fallback, long min, long max,
			List<FieldError> errors) {
		Object v = h.get(key);
		if (v == null) {
			return fallback;
		}
		String field = "hyperparameters." + key;
		if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
			errors.add(FieldError.field(field, "must be an integer"));
			return fallback;
		}
		long x = n.longValue();
		if (x < min || x > max) {
			errors.add(FieldError.field(field, "must be between " + min + " and " + max + ", got " + v));
			return fallback;
		}
		return x;
	}

	private static <E extends Enum<E>> E parseEnum(String field, String value, E[] values, List<FieldError> errors,
			boolean required) {
		String allowed = Arrays.stream(values)
			.map(e -> e.name().toLowerCase(Locale.ROOT))
			.collect(Collectors.joining(", "));
		if (value == null) {
			if (required) {
				errors.add(FieldError.field(field, "is required; allowed: " + allowed));
			}
			return null;
		}
		for (E e : values) {
			if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
				return e;
			}
		}
		errors.add(FieldError.field(field, "unknown value '" + value + "'; allowed: " + allowed));
		return null;
	}

	private static String columnNames(Dataset dataset) {
		return dataset.getColumns().stream().map(ColumnSchema::name).collect(Collectors.joining(", "));
	}

	private static String fmt(double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}

	/** Per-algorithm defaults, chosen on synthetic and iris data (see README). */
	record Defaults(double learningRate, int epochs, int batchSize, double l2, int patience) {

		static final List<Integer> HIDDEN_LAYERS = List.of(64);

		static Defaults of(Algorithm algorithm) {
			return switch (algorithm) {
				case LINEAR_REGRESSION -> new Defaults(0.01, 200, 64, 0.0, 10);
				case LOGISTIC_REGRESSION, LINEAR_SVM, SVM -> new Defaults(0.01, 200, 64, 0.0001, 10);
				case MLP -> new Defaults(0.01, 200, 64, 0.0001, 10);
			};
		}

	}

}
