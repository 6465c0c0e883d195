package io.fitserve.training;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import io.fitserve.ml.WireNames;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.kernel.Kernel;
import io.fitserve.ml.linear.LinearSolver;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.Monitor;
import io.fitserve.ml.nn.OptimizerKind;
import io.fitserve.ml.nn.ScheduleKind;
import io.fitserve.ml.nn.SvmLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
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
import io.fitserve.web.ApiException;
import io.fitserve.web.FieldError;

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

	/**
	 * linear_regression's auto solver uses the normal equations up to this many encoded
	 * features.
	 */
	static final int MAX_EXACT_FEATURES = 2000;

	private SpecResolver() {
	}

	static TrainingSpec resolve(TrainingJobRequest request, Dataset dataset, DatasetFrame frame) {
		List<FieldError> errors = new ArrayList<>();
		TrainingSpec spec = resolve(request, dataset, frame, errors);
		if (!errors.isEmpty()) {
			throw ApiException.invalid("The training job specification is not valid.", errors);
		}
		return spec;
	}

	static TrainingSpec resolve(TrainingJobRequest request, Dataset dataset, DatasetFrame frame,
			List<FieldError> errors) {
		Algorithm algorithm = parseEnum("algorithm", request.algorithm(), Algorithm.values(), errors, true);
		String target = request.target();
		ColumnSchema targetColumn = null;
		if (target == null || target.isBlank()) {
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
		Task task = resolveTask(request, algorithm, targetColumn, frame, errors);
		List<String> classLabels = task == Task.CLASSIFICATION && targetColumn != null
				&& frame.column(target).codes() != null ? PreparedData.classLabels(frame.column(target)) : null;
		Hyperparameters hyperparameters = algorithm == null ? null
				: resolveHyperparameters(request.hyperparameters(), algorithm, task, classLabels, errors);
		double validationFraction = fraction("validationFraction", request.validationFraction(),
				usesEarlyStopping(algorithm, hyperparameters) ? DEFAULT_VALIDATION_FRACTION : 0.0, errors);
		double testFraction = fraction("testFraction", request.testFraction(), DEFAULT_TEST_FRACTION, errors);
		if (validationFraction + testFraction > 0.8) {
			errors.add(FieldError.field("testFraction", "validationFraction + testFraction must be <= 0.8"));
		}
		CrossValidation crossValidation = crossValidation(request.crossValidation(), task, errors);
		long seed = request.seed() == null ? DEFAULT_SEED : request.seed();
		return new TrainingSpec(dataset.getId(), target, features, task, algorithm, hyperparameters, validationFraction,
				testFraction, crossValidation, seed);
	}

	/**
	 * Whether training watches a validation split. Only then is one held out by default:
	 * like scikit-learn, exact and L-BFGS solvers and the kernel SVM train on every
	 * non-test row.
	 */
	static boolean usesEarlyStopping(Algorithm algorithm, Hyperparameters h) {
		if (algorithm == null || h == null || algorithm == Algorithm.SVM || "lbfgs".equals(h.optimizer())) {
			return false;
		}
		if (algorithm == Algorithm.LINEAR_REGRESSION && !"gradient".equals(h.solver())) {
			return false;
		}
		return h.earlyStoppingPatience() != null && h.earlyStoppingPatience() > 0;
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

	private static Task resolveTask(TrainingJobRequest request, Algorithm algorithm, ColumnSchema target,
			DatasetFrame frame, List<FieldError> errors) {
		Task requested = parseEnum("task", request.task(), Task.values(), errors, false);
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
		if (requested != null && implied != null && requested != implied) {
			errors.add(FieldError.field("task", algorithm.wireName() + " supports only " + implied.wireName()));
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
	static Task impliedTask(Algorithm algorithm) {
		return switch (algorithm) {
			case LINEAR_REGRESSION -> Task.REGRESSION;
			case LOGISTIC_REGRESSION, LINEAR_SVM, SVM -> Task.CLASSIFICATION;
			case MLP -> null;
		};
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

	/** Which hyperparameters each algorithm takes. */
	private static final Map<String, Set<Algorithm>> APPLIES = new LinkedHashMap<>();

	static {
		Set<Algorithm> gradient = EnumSet.of(Algorithm.LINEAR_REGRESSION, Algorithm.LOGISTIC_REGRESSION,
				Algorithm.LINEAR_SVM, Algorithm.MLP);
		Set<Algorithm> linear = EnumSet.of(Algorithm.LINEAR_REGRESSION, Algorithm.LOGISTIC_REGRESSION,
				Algorithm.LINEAR_SVM);
		for (String key : List.of("optimizer", "learningRate", "epochs", "batchSize", "earlyStoppingPatience",
				"earlyStoppingMonitor", "earlyStoppingMinDelta", "schedule", "momentum")) {
			APPLIES.put(key, gradient);
		}
		APPLIES.put("solver", EnumSet.of(Algorithm.LINEAR_REGRESSION));
		APPLIES.put("l1", linear);
		APPLIES.put("l2", gradient);
		APPLIES.put("C", EnumSet.of(Algorithm.LOGISTIC_REGRESSION, Algorithm.LINEAR_SVM, Algorithm.SVM));
		for (String key : List.of("hiddenLayers", "activation", "dropout", "batchNorm")) {
			APPLIES.put(key, EnumSet.of(Algorithm.MLP));
		}
		APPLIES.put("loss", EnumSet.of(Algorithm.LINEAR_SVM));
		APPLIES.put("classWeights",
				EnumSet.of(Algorithm.LOGISTIC_REGRESSION, Algorithm.LINEAR_SVM, Algorithm.SVM, Algorithm.MLP));
		for (String key : List.of("kernel", "gamma", "degree", "coef0", "probabilities")) {
			APPLIES.put(key, EnumSet.of(Algorithm.SVM));
		}
	}

	static Hyperparameters resolveHyperparameters(Map<String, Object> given, Algorithm algorithm, Task task,
			List<String> classLabels, List<FieldError> errors) {
		Map<String, Object> h = given == null ? Map.of() : given;
		for (String key : h.keySet()) {
			Set<Algorithm> applies = APPLIES.get(key);
			if (applies == null) {
				errors.add(FieldError.field("hyperparameters." + key, "unknown hyperparameter; allowed for "
						+ algorithm.wireName() + ": " + String.join(", ", allowedFor(algorithm))));
			}
			else if (!applies.contains(algorithm)) {
				errors.add(FieldError.field("hyperparameters." + key, "does not apply to " + algorithm.wireName()
						+ "; allowed: " + String.join(", ", allowedFor(algorithm))));
			}
		}
		boolean mlp = algorithm == Algorithm.MLP;
		boolean svm = algorithm == Algorithm.SVM;
		Defaults d = Defaults.of(algorithm);

		String optimizer = null;
		String solver = null;
		Double learningRate = null;
		Integer epochs = null;
		Integer batchSize = null;
		Integer patience = null;
		String monitor = null;
		Double minDelta = null;
		Hyperparameters.Schedule schedule = null;
		Double momentum = null;
		if (!svm) {
			OptimizerKind opt = parseEnum("hyperparameters.optimizer", string(h, "optimizer", errors),
					OptimizerKind.values(), errors, false);
			if (opt == OptimizerKind.LBFGS && mlp) {
				errors.add(FieldError.field("hyperparameters.optimizer",
						"lbfgs is for the convex models (linear_regression, logistic_regression, linear_svm); "
								+ "mlp allows: sgd, momentum, nesterov, adam, rmsprop, adagrad"));
			}
			optimizer = (opt == null ? d.optimizer() : opt).wireName();
			boolean lbfgs = optimizer.equals("lbfgs");
			if (algorithm == Algorithm.LINEAR_REGRESSION) {
				LinearSolver ls = parseEnum("hyperparameters.solver", string(h, "solver", errors),
						LinearSolver.values(), errors, false);
				solver = (ls == null ? (h.containsKey("optimizer") ? LinearSolver.GRADIENT : LinearSolver.AUTO) : ls)
					.wireName();
			}
			learningRate = number(h, "learningRate", d.learningRate(), 0, false, 10, errors);
			epochs = (int) integer(h, "epochs", lbfgs ? Defaults.LBFGS_ITERATIONS : d.epochs(), 1, 100_000, errors);
			batchSize = (int) integer(h, "batchSize", d.batchSize(), 1, 1_000_000, errors);
			patience = (int) integer(h, "earlyStoppingPatience", lbfgs ? 0 : d.patience(), 0, 100_000, errors);
			Monitor m = parseEnum("hyperparameters.earlyStoppingMonitor", string(h, "earlyStoppingMonitor", errors),
					Monitor.values(), errors, false);
			if (m != null && task != null && !monitorFits(m, task, classLabels)) {
				errors.add(FieldError.field("hyperparameters.earlyStoppingMonitor",
						"'" + m.wireName() + "' does not apply to this " + task.wireName() + " target; allowed: "
								+ monitorsFor(task, classLabels)));
			}
			monitor = (m == null ? Monitor.VALIDATION_LOSS : m).wireName();
			minDelta = number(h, "earlyStoppingMinDelta", 0.0, 0, true, 1e6, errors);
			schedule = schedule(h.get("schedule"), errors);
			momentum = number(h, "momentum", 0.9, 0, true, 0.999, errors);
		}
		Double l1 = null;
		Double l2 = null;
		Double c = null;
		if (APPLIES.get("l1").contains(algorithm)) {
			l1 = number(h, "l1", 0.0, 0, true, 1000, errors);
		}
		boolean usesC = APPLIES.get("C").contains(algorithm);
		if (usesC && h.containsKey("C") && h.containsKey("l2")) {
			errors.add(FieldError.field("hyperparameters.C", "give either C or l2, not both"));
		}
		if (usesC && !h.containsKey("l2")) {
			c = number(h, "C", 1.0, 0, false, 1e6, errors);
		}
		else if (!svm) {
			l2 = number(h, "l2", d.l2(), 0, true, 1000, errors);
		}
		List<Integer> hidden = null;
		String activation = null;
		Double dropout = null;
		Boolean batchNorm = null;
		if (mlp) {
			hidden = hiddenLayers(h.get("hiddenLayers"), errors);
			Activation a = parseEnum("hyperparameters.activation", string(h, "activation", errors), Activation.values(),
					errors, false);
			activation = (a == null ? Activation.RELU : a).wireName();
			dropout = number(h, "dropout", 0.0, 0, true, 0.9, errors);
			batchNorm = bool(h, "batchNorm", false, errors);
		}
		String loss = null;
		if (algorithm == Algorithm.LINEAR_SVM) {
			SvmLoss l = parseEnum("hyperparameters.loss", string(h, "loss", errors), SvmLoss.values(), errors, false);
			loss = (l == null ? SvmLoss.SQUARED_HINGE : l).wireName();
		}
		Object classWeights = null;
		if (h.containsKey("classWeights")) {
			if (task == Task.REGRESSION) {
				errors.add(FieldError.field("hyperparameters.classWeights", "applies only to classification"));
			}
			else {
				classWeights = classWeights(h.get("classWeights"), classLabels, errors);
			}
		}
		String kernel = null;
		Object gamma = null;
		Integer degree = null;
		Double coef0 = null;
		Boolean probabilities = null;
		if (svm) {
			Kernel k = parseEnum("hyperparameters.kernel", string(h, "kernel", errors), Kernel.values(), errors, false);
			kernel = (k == null ? Kernel.RBF : k).wireName();
			gamma = gamma(h.get("gamma"), errors);
			degree = (int) integer(h, "degree", 3, 1, 10, errors);
			coef0 = number(h, "coef0", 0.0, -1e6, true, 1e6, errors);
			probabilities = bool(h, "probabilities", false, errors);
		}
		return new Hyperparameters(optimizer, solver, learningRate, epochs, batchSize, l1, l2, c, hidden, activation,
				dropout, batchNorm, patience, monitor, minDelta, schedule, momentum, loss, classWeights, kernel, gamma,
				degree, coef0, probabilities);
	}

	/**
	 * The hyperparameters algorithm takes, in a stable order; any other name is refused
	 * with a 400.
	 */
	static List<String> allowedFor(Algorithm algorithm) {
		return APPLIES.entrySet()
			.stream()
			.filter(e -> e.getValue().contains(algorithm))
			.map(Map.Entry::getKey)
			.toList();
	}

	static boolean monitorFits(Monitor m, Task task, List<String> classLabels) {
		return switch (m) {
			case VALIDATION_LOSS -> true;
			case ACCURACY, F1 -> task == Task.CLASSIFICATION;
			case ROC_AUC -> task == Task.CLASSIFICATION && (classLabels == null || classLabels.size() == 2);
			case R2, MAE -> task == Task.REGRESSION;
		};
	}

	private static String monitorsFor(Task task, List<String> classLabels) {
		return Arrays.stream(Monitor.values())
			.filter(m -> monitorFits(m, task, classLabels))
			.map(Monitor::wireName)
			.collect(Collectors.joining(", "));
	}

	private static Hyperparameters.Schedule schedule(Object value, List<FieldError> errors) {
		String field = "hyperparameters.schedule";
		Map<String, Object> s;
		if (value == null) {
			s = Map.of();
		}
		else if (value instanceof String type) {
			s = Map.of("type", type);
		}
		else if (value instanceof Map<?, ?> map) {
			s = new LinkedHashMap<>();
			map.forEach((k, v) -> s.put(String.valueOf(k), v));
		}
		else {
			errors.add(FieldError.field(field, "must be a schedule name or an object with a type"));
			return null;
		}
		ScheduleKind kind = parseEnum(field + ".type", s.get("type") instanceof String t ? t : null,
				ScheduleKind.values(), errors, false);
		if (kind == null) {
			kind = ScheduleKind.CONSTANT;
		}
		Set<String> allowed = switch (kind) {
			case CONSTANT -> Set.of("type");
			case STEP -> Set.of("type", "stepSize", "gamma");
			case EXPONENTIAL -> Set.of("type", "gamma");
			case COSINE -> Set.of("type", "warmupEpochs");
			case REDUCE_ON_PLATEAU -> Set.of("type", "patience", "factor");
		};
		for (String key : s.keySet()) {
			if (!allowed.contains(key)) {
				errors.add(FieldError.field(field + "." + key, "does not apply to the " + kind.wireName()
						+ " schedule; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed))));
			}
		}
		Map<String, Object> hs = new LinkedHashMap<>();
		s.forEach((k, v) -> hs.put("schedule." + k, v));
		return switch (kind) {
			case CONSTANT -> new Hyperparameters.Schedule("constant", null, null, null, null, null);
			case STEP ->
				new Hyperparameters.Schedule("step", (int) integer(hs, "schedule.stepSize", 10, 1, 100_000, errors),
						number(hs, "schedule.gamma", 0.5, 0, false, 1, errors), null, null, null);
			case EXPONENTIAL -> new Hyperparameters.Schedule("exponential", null,
					number(hs, "schedule.gamma", 0.99, 0, false, 1, errors), null, null, null);
			case COSINE -> new Hyperparameters.Schedule("cosine", null, null,
					(int) integer(hs, "schedule.warmupEpochs", 0, 0, 100_000, errors), null, null);
			case REDUCE_ON_PLATEAU -> new Hyperparameters.Schedule("reduce_on_plateau", null, null, null,
					(int) integer(hs, "schedule.patience", 5, 1, 100_000, errors),
					number(hs, "schedule.factor", 0.5, 0, false, 0.999, errors));
		};
	}

	private static Object classWeights(Object value, List<String> classLabels, List<FieldError> errors) {
		String field = "hyperparameters.classWeights";
		if ("balanced".equals(value)) {
			return "balanced";
		}
		if (value instanceof Map<?, ?> map && !map.isEmpty()) {
			Map<String, Double> weights = new java.util.TreeMap<>();
			for (Map.Entry<?, ?> e : map.entrySet()) {
				String label = String.valueOf(e.getKey());
				if (classLabels != null && !classLabels.contains(label)) {
					errors.add(FieldError.field(field, "'" + label + "' is not a class of the target; classes: "
							+ String.join(", ", classLabels)));
				}
				else if (!(e.getValue() instanceof Number n) || !(n.doubleValue() > 0) || n.doubleValue() > 1e6) {
					errors.add(FieldError.field(field, "the weight of '" + label + "' must be a number in (0, 1e6]"));
				}
				else {
					weights.put(label, n.doubleValue());
				}
			}
			return weights;
		}
		errors.add(FieldError.field(field, "must be \"balanced\" or a map of class label to weight"));
		return null;
	}

	private static Object gamma(Object value, List<FieldError> errors) {
		if (value == null) {
			return "scale";
		}
		if ("scale".equals(value) || "auto".equals(value)) {
			return value;
		}
		if (value instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
			return n.doubleValue();
		}
		errors.add(FieldError.field("hyperparameters.gamma", "must be \"scale\", \"auto\" or a number > 0"));
		return "scale";
	}

	private static boolean bool(Map<String, Object> h, String key, boolean fallback, List<FieldError> errors) {
		Object v = h.get(key);
		if (v == null) {
			return fallback;
		}
		if (v instanceof Boolean b) {
			return b;
		}
		errors.add(FieldError.field("hyperparameters." + key, "must be true or false"));
		return fallback;
	}

	/**
	 * Only a sanity bound on one number: what limits a network's size is its parameter
	 * count (fitserve.training.max-parameters, checked by TrainingLimits with the count
	 * in the answer).
	 */
	static final int MAX_LAYER_WIDTH = 1_000_000;

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
					|| n.doubleValue() > MAX_LAYER_WIDTH) {
				errors.add(FieldError.field(field,
						"each width must be an integer from 1 to " + MAX_LAYER_WIDTH + ", got " + o));
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
		String allowed = Arrays.stream(values).map(WireNames::of).collect(Collectors.joining(", "));
		if (value == null) {
			if (required) {
				errors.add(FieldError.field(field, "is required; allowed: " + allowed));
			}
			return null;
		}
		for (E e : values) {
			if (WireNames.of(e).equals(value)) {
				return e;
			}
		}
		errors.add(FieldError.field(field, "unknown value '" + echo(value) + "'; allowed: " + allowed));
		return null;
	}

	/**
	 * A client-supplied name as echoed in a message: long ones are cut, so an error stays
	 * small.
	 */
	static String echo(String value) {
		return value.length() <= 100 ? value : value.substring(0, 100) + "...";
	}

	private static String columnNames(Dataset dataset) {
		return dataset.getColumns().stream().map(ColumnSchema::name).collect(Collectors.joining(", "));
	}

	private static String fmt(double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}

	/**
	 * Per-algorithm defaults, chosen to match scikit-learn's out-of-the-box estimators
	 * (see README).
	 */
	record Defaults(OptimizerKind optimizer, double learningRate, int epochs, int batchSize, double l2, int patience) {

		static final List<Integer> HIDDEN_LAYERS = List.of(100);

		static final int LBFGS_ITERATIONS = 500;

		static Defaults of(Algorithm algorithm) {
			return switch (algorithm) {
				case LINEAR_REGRESSION -> new Defaults(OptimizerKind.ADAM, 0.01, 200, 64, 0.0, 10);
				case LOGISTIC_REGRESSION, LINEAR_SVM -> new Defaults(OptimizerKind.LBFGS, 0.01, 200, 64, 0.0, 10);
				case SVM -> new Defaults(OptimizerKind.ADAM, 0.01, 200, 64, 0.0, 10);
				case MLP -> new Defaults(OptimizerKind.ADAM, 0.001, 200, 200, 0.0001, 0);
			};
		}

	}

}
