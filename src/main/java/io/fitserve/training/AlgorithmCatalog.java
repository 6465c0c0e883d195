package io.fitserve.training;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import io.fitserve.ml.WireNames;
import io.fitserve.ml.kernel.Kernel;
import io.fitserve.ml.linear.LinearSolver;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.Monitor;
import io.fitserve.ml.nn.OptimizerKind;
import io.fitserve.ml.nn.ScheduleKind;
import io.fitserve.ml.nn.SvmLoss;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.web.FieldError;

/**
 * What each algorithm accepts, for clients that build a training form. Which
 * hyperparameters an algorithm takes and what their defaults are come from SpecResolver
 * itself (its table of names, and resolving an empty hyperparameters object), so the two
 * cannot disagree; the types and ranges here mirror SpecResolver's checks and
 * AlgorithmCatalogTest holds them to it (each bound accepted, one step beyond refused).
 */
final class AlgorithmCatalog {

	/**
	 * A hyperparameter's shape: type, the values or range validation accepts
	 * (minimumExcluded when the minimum itself is refused), and its description.
	 */
	record Spec(String name, String type, List<String> values, Double minimum, boolean minimumExcluded, Double maximum,
			String description, List<Spec> fields) {

		static Spec string(String name, List<String> values, String description) {
			return new Spec(name, "string", values, null, false, null, description, null);
		}

		static Spec number(String name, double min, boolean minExcluded, double max, String description) {
			return new Spec(name, "number", null, min, minExcluded, max, description, null);
		}

		static Spec integer(String name, long min, long max, String description) {
			return new Spec(name, "integer", null, (double) min, false, (double) max, description, null);
		}

		static Spec bool(String name, String description) {
			return new Spec(name, "boolean", null, null, false, null, description, null);
		}

	}

	private static final List<String> ALGORITHM_DESCRIPTIONS = List
		.of("Least-squares linear regression: normal equations, or a gradient optimizer with L1/L2 penalties",
				"Logistic regression (binary or multinomial softmax), L-BFGS by default, with L1/L2 penalties",
				"Linear support vector machine on the (squared) hinge loss, one-vs-rest for several classes",
				"Kernel support vector machine (rbf, poly or linear kernel) trained with SMO, one-vs-one for several "
						+ "classes",
				"Multilayer perceptron (fully connected network) for classification or regression");

	private AlgorithmCatalog() {
	}

	/** Every algorithm, in the order of {@link Algorithm}. */
	static List<AlgorithmInfo> all() {
		List<AlgorithmInfo> all = new ArrayList<>();
		for (Algorithm algorithm : Algorithm.values()) {
			List<Task> tasks = tasks(algorithm);
			Hyperparameters defaults = defaults(algorithm, tasks.get(0));
			List<AlgorithmInfo.Parameter> parameters = new ArrayList<>();
			for (String name : SpecResolver.allowedFor(algorithm)) {
				Spec spec = spec(name, algorithm, tasks);
				parameters.add(parameter(spec, component(defaults, name), algorithm, tasks.get(0)));
			}
			all.add(new AlgorithmInfo(algorithm.wireName(), tasks.stream().map(Task::wireName).toList(),
					ALGORITHM_DESCRIPTIONS.get(algorithm.ordinal()), List.copyOf(parameters)));
		}
		return List.copyOf(all);
	}

	/**
	 * The tasks algorithm trains: the one SpecResolver implies, or both when it infers
	 * the task from the target.
	 */
	static List<Task> tasks(Algorithm algorithm) {
		Task implied = SpecResolver.impliedTask(algorithm);
		return implied == null ? List.of(Task.CLASSIFICATION, Task.REGRESSION) : List.of(implied);
	}

	/**
	 * What SpecResolver fills in when a job gives no hyperparameters: the defaults
	 * training applies.
	 */
	static Hyperparameters defaults(Algorithm algorithm, Task task) {
		List<FieldError> errors = new ArrayList<>();
		Hyperparameters resolved = SpecResolver.resolveHyperparameters(Map.of(), algorithm, task, null, errors);
		if (!errors.isEmpty()) {
			throw new IllegalStateException("the defaults of " + algorithm.wireName() + " do not resolve: " + errors);
		}
		return resolved;
	}

	private static AlgorithmInfo.Parameter parameter(Spec spec, Object defaultValue, Algorithm algorithm, Task task) {
		List<AlgorithmInfo.Parameter> fields = null;
		if (spec.fields() != null) {
			Hyperparameters.Schedule schedule = (Hyperparameters.Schedule) defaultValue;
			Map<String, Object> fieldDefaults = scheduleFieldDefaults(algorithm, task);
			fields = spec.fields()
				.stream()
				.map(f -> parameter(f, f.name().equals("type") ? schedule.type() : fieldDefaults.get(f.name()),
						algorithm, task))
				.toList();
			defaultValue = components(schedule);
		}
		return new AlgorithmInfo.Parameter(spec.name(), spec.type(), spec.values(), defaultValue, spec.minimum(),
				spec.maximum(), spec.description(), fields);
	}

	/**
	 * The default of each schedule field, found by resolving a schedule of each type with
	 * only its type given; a field whose default differs between types (gamma) has none
	 * here, its description gives each.
	 */
	private static Map<String, Object> scheduleFieldDefaults(Algorithm algorithm, Task task) {
		Map<String, List<Object>> seen = new LinkedHashMap<>();
		for (ScheduleKind kind : ScheduleKind.values()) {
			List<FieldError> errors = new ArrayList<>();
			Hyperparameters resolved = SpecResolver.resolveHyperparameters(
					Map.of("schedule", Map.of("type", WireNames.of(kind))), algorithm, task, null, errors);
			if (!errors.isEmpty()) {
				throw new IllegalStateException("the " + WireNames.of(kind) + " schedule does not resolve: " + errors);
			}
			components(resolved.schedule()).forEach((name, value) -> {
				List<Object> values = seen.computeIfAbsent(name, n -> new ArrayList<>());
				if (!values.contains(value)) {
					values.add(value);
				}
			});
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		seen.forEach((name, values) -> defaults.put(name, values.size() == 1 ? values.get(0) : null));
		return defaults;
	}

	/** A schedule as the client sends it: its non-null fields. */
	private static Map<String, Object> components(Hyperparameters.Schedule schedule) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (RecordComponent component : Hyperparameters.Schedule.class.getRecordComponents()) {
			try {
				Object value = component.getAccessor().invoke(schedule);
				if (value != null) {
					values.put(component.getName(), value);
				}
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return values;
	}

	/**
	 * The value of the record component called name; null when resolution leaves it out.
	 */
	static Object component(Hyperparameters hyperparameters, String name) {
		for (RecordComponent component : Hyperparameters.class.getRecordComponents()) {
			if (component.getName().equals(name)) {
				try {
					return component.getAccessor().invoke(hyperparameters);
				}
				catch (ReflectiveOperationException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		throw new IllegalStateException("Hyperparameters has no component " + name);
	}

	/** The shape of one hyperparameter of algorithm; the bounds are SpecResolver's. */
	static Spec spec(String name, Algorithm algorithm, List<Task> tasks) {
		return switch (name) {
			case "optimizer" -> Spec.string(name,
					Arrays.stream(OptimizerKind.values())
						.filter(o -> o != OptimizerKind.LBFGS || algorithm != Algorithm.MLP)
						.map(WireNames::of)
						.toList(),
					"Gradient optimizer; lbfgs (full-batch L-BFGS) only for the linear models");
			case "solver" -> Spec.string(name, names(LinearSolver.values()),
					"auto uses the normal equations up to " + SpecResolver.MAX_EXACT_FEATURES
							+ " encoded features and the optimizer beyond; giving an "
							+ "optimizer without a solver selects gradient");
			case "learningRate" -> Spec.number(name, 0, true, 10, "Step size of the gradient optimizer (> 0)");
			case "epochs" -> Spec.integer(name, 1, 100_000,
					"Passes over the training split; with lbfgs the maximum number of iterations (default 500)");
			case "batchSize" -> Spec.integer(name, 1, 1_000_000, "Rows per gradient step; >= rows is full batch");
			case "l1" -> Spec.number(name, 0, false, 1000, "L1 penalty on the weights (with l2: elastic net)");
			case "l2" -> Spec.number(name, 0, false, 1000,
					algorithm == Algorithm.MLP || algorithm == Algorithm.LINEAR_REGRESSION
							? "L2 penalty on the weights: mean(loss) + l2/2 |w|^2"
							: "L2 penalty on the weights; an alternative to C (give one or the other): when l2 is "
									+ "not given, C applies");
			case "C" -> Spec.number(name, 0, true, 1e6,
					"Inverse regularization strength as in scikit-learn (l2 = 1/(C n)); > 0");
			case "hiddenLayers" -> new Spec(name, "integer_list", null, 1.0, false,
					(double) SpecResolver.MAX_LAYER_WIDTH, "Widths of the hidden layers, 1 to 10 layers; the "
							+ "network may have at most fitserve.training.max-parameters weights",
					null);
			case "activation" -> Spec.string(name, names(Activation.values()), "Activation of the hidden layers");
			case "dropout" -> Spec.number(name, 0, false, 0.9, "Dropout probability of hidden units in training");
			case "batchNorm" -> Spec.bool(name, "Batch normalization after each hidden layer");
			case "earlyStoppingPatience" -> Spec.integer(name, 0, 100_000, "Epochs without improvement on the "
					+ "validation split before stopping and restoring the best weights; 0 turns early stopping off");
			case "earlyStoppingMonitor" -> Spec.string(name,
					Arrays.stream(Monitor.values())
						.filter(m -> tasks.stream().anyMatch(t -> SpecResolver.monitorFits(m, t, null)))
						.map(WireNames::of)
						.toList(),
					"What early stopping watches on the validation split (roc_auc: binary targets only)");
			case "earlyStoppingMinDelta" -> Spec.number(name, 0, false, 1e6,
					"Smallest change of the monitored value that counts as an improvement");
			case "schedule" -> new Spec(name, "schedule", null, null, false, null,
					"Learning-rate schedule: an object with a type and that type's fields (or just the type's name)",
					List.of(Spec.string("type", names(ScheduleKind.values()), "Kind of schedule"),
							Spec.integer("stepSize", 1, 100_000, "step: epochs between decays (default 10)"),
							Spec.number("gamma", 0, true, 1,
									"step, exponential: decay factor (> 0; default 0.5 for step, 0.99 for exponential)"),
							Spec.integer("warmupEpochs", 0, 100_000, "cosine: linear warm-up epochs (default 0)"),
							Spec.integer("patience", 1, 100_000,
									"reduce_on_plateau: epochs without improvement (default 5)"),
							Spec.number("factor", 0, true, 0.999,
									"reduce_on_plateau: multiplier of the learning rate (> 0; default 0.5)")));
			case "momentum" ->
				Spec.number(name, 0, false, 0.999, "Coefficient of the momentum and nesterov optimizers");
			case "loss" -> Spec.string(name, names(SvmLoss.values()), "Hinge or squared hinge loss");
			case "classWeights" -> Spec.string(name, List.of("balanced"), "Weights of the classes in the loss: "
					+ "\"balanced\" (inverse class frequency) or a JSON object class label -> weight in (0, 1e6]; "
					+ "none by default (every class weighs 1)");
			case "kernel" -> Spec.string(name, names(Kernel.values()), "Kernel function");
			case "gamma" -> Spec.string(name, List.of("scale", "auto"), "Kernel coefficient (rbf, poly): \"scale\" "
					+ "(1/(features * variance)), \"auto\" (1/features) or a number > 0");
			case "degree" -> Spec.integer(name, 1, 10, "Degree of the poly kernel");
			case "coef0" -> Spec.number(name, -1e6, false, 1e6, "Independent term of the poly kernel");
			case "probabilities" -> Spec.bool(name, "Calibrate probabilities with Platt scaling (as scikit-learn's "
					+ "SVC(probability=True)); otherwise labels follow the decision function");
			default -> throw new IllegalStateException("no catalogue entry for the hyperparameter " + name);
		};
	}

	private static List<String> names(Enum<?>[] values) {
		return Arrays.stream(values).map(WireNames::of).toList();
	}

}
