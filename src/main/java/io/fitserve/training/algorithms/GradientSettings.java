package io.fitserve.training.algorithms;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.fitserve.ml.Task;
import io.fitserve.ml.WireNames;
import io.fitserve.ml.nn.Monitor;
import io.fitserve.ml.nn.OptimizerKind;
import io.fitserve.ml.nn.ScheduleKind;
import io.fitserve.errors.FieldError;

/**
 * The settings the four gradient-trained algorithms (linear_regression,
 * logistic_regression, linear_svm, mlp) share: optimizer, step size, epochs, batch size,
 * early stopping, schedule and momentum.
 */
public record GradientSettings(String optimizer, double learningRate, int epochs, int batchSize,
		int earlyStoppingPatience, String earlyStoppingMonitor, double earlyStoppingMinDelta, ScheduleSettings schedule,
		double momentum) {

	/** L-BFGS's default maximum number of iterations. */
	public static final int LBFGS_ITERATIONS = 500;

	/** Their names, in the order messages list them. */
	public static final List<String> NAMES = List.of("optimizer", "learningRate", "epochs", "batchSize",
			"earlyStoppingPatience", "earlyStoppingMonitor", "earlyStoppingMinDelta", "schedule", "momentum");

	/**
	 * An algorithm's defaults, chosen to match scikit-learn's estimators (see README).
	 */
	public record Defaults(OptimizerKind optimizer, double learningRate, int epochs, int batchSize, double l2,
			int patience) {
	}

	void write(Map<String, Object> out) {
		out.put("optimizer", this.optimizer);
		out.put("learningRate", this.learningRate);
		out.put("epochs", this.epochs);
		out.put("batchSize", this.batchSize);
		out.put("earlyStoppingPatience", this.earlyStoppingPatience);
		out.put("earlyStoppingMonitor", this.earlyStoppingMonitor);
		out.put("earlyStoppingMinDelta", this.earlyStoppingMinDelta);
		out.put("schedule", this.schedule);
		out.put("momentum", this.momentum);
	}

	public boolean lbfgs() {
		return "lbfgs".equals(this.optimizer);
	}

	/** The optimizer's wire name: given, or the default; lbfgs refused for networks. */
	public static String optimizer(ParameterReader in, Defaults d, boolean network) {
		OptimizerKind opt = in.choice("optimizer", OptimizerKind.values());
		if (opt == OptimizerKind.LBFGS && network) {
			in.error("optimizer",
					"lbfgs is for the convex models (linear_regression, logistic_regression, linear_svm); "
							+ "mlp allows: sgd, momentum, nesterov, adam, rmsprop, adagrad");
		}
		return (opt == null ? d.optimizer() : opt).wireName();
	}

	/** The other settings, after {@link #optimizer}. */
	public static GradientSettings read(ParameterReader in, String optimizer, Defaults d, Task task,
			List<String> classLabels) {
		boolean lbfgs = optimizer.equals("lbfgs");
		double learningRate = in.number("learningRate", d.learningRate(), 0, false, 10);
		int epochs = (int) in.integer("epochs", lbfgs ? LBFGS_ITERATIONS : d.epochs(), 1, 100_000);
		int batchSize = (int) in.integer("batchSize", d.batchSize(), 1, 1_000_000);
		int patience = (int) in.integer("earlyStoppingPatience", lbfgs ? 0 : d.patience(), 0, 100_000);
		Monitor m = in.choice("earlyStoppingMonitor", Monitor.values());
		if (m != null && task != null && !monitorFits(m, task, classLabels)) {
			in.error("earlyStoppingMonitor", "'" + m.wireName() + "' does not apply to this " + task.wireName()
					+ " target; allowed: " + monitorsFor(task, classLabels));
		}
		String monitor = (m == null ? Monitor.VALIDATION_LOSS : m).wireName();
		double minDelta = in.number("earlyStoppingMinDelta", 0.0, 0, true, 1e6);
		ScheduleSettings schedule = schedule(in);
		double momentum = in.number("momentum", 0.9, 0, true, 0.999);
		return new GradientSettings(optimizer, learningRate, epochs, batchSize, patience, monitor, minDelta, schedule,
				momentum);
	}

	public static boolean monitorFits(Monitor m, Task task, List<String> classLabels) {
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

	private static ScheduleSettings schedule(ParameterReader in) {
		String field = "hyperparameters.schedule";
		Object value = in.raw("schedule");
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
			in.error("schedule", "must be a schedule name or an object with a type");
			return null;
		}
		List<FieldError> errors = in.errors();
		ScheduleKind kind = ParameterReader.parseEnum(field + ".type", s.get("type") instanceof String t ? t : null,
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
						+ " schedule; allowed: " + String.join(", ", new TreeSet<>(allowed))));
			}
		}
		Map<String, Object> hs = new LinkedHashMap<>();
		s.forEach((k, v) -> hs.put("schedule." + k, v));
		return switch (kind) {
			case CONSTANT -> new ScheduleSettings("constant", null, null, null, null, null);
			case STEP -> new ScheduleSettings("step",
					(int) ParameterReader.integer(hs, "schedule.stepSize", 10, 1, 100_000, errors),
					ParameterReader.number(hs, "schedule.gamma", 0.5, 0, false, 1, errors), null, null, null);
			case EXPONENTIAL -> new ScheduleSettings("exponential", null,
					ParameterReader.number(hs, "schedule.gamma", 0.99, 0, false, 1, errors), null, null, null);
			case COSINE -> new ScheduleSettings("cosine", null, null,
					(int) ParameterReader.integer(hs, "schedule.warmupEpochs", 0, 0, 100_000, errors), null, null);
			case REDUCE_ON_PLATEAU -> new ScheduleSettings("reduce_on_plateau", null, null, null,
					(int) ParameterReader.integer(hs, "schedule.patience", 5, 1, 100_000, errors),
					ParameterReader.number(hs, "schedule.factor", 0.5, 0, false, 0.999, errors));
		};
	}

	/**
	 * The catalogue entries of the shared settings; the optimizer's values depend on it.
	 */
	public static List<ParameterSpec> specs(List<String> optimizers, List<Task> tasks) {
		return List.of(
				ParameterSpec.string("optimizer", optimizers,
						"Gradient optimizer; lbfgs (full-batch L-BFGS) only for the linear models"),
				ParameterSpec.number("learningRate", 0, true, 10, "Step size of the gradient optimizer (> 0)"),
				ParameterSpec.integer("epochs", 1, 100_000,
						"Passes over the training split; with lbfgs the maximum number of iterations (default 500)"),
				ParameterSpec.integer("batchSize", 1, 1_000_000, "Rows per gradient step; >= rows is full batch"),
				ParameterSpec.integer("earlyStoppingPatience", 0, 100_000,
						"Epochs without improvement on the validation split before stopping and restoring the best "
								+ "weights; 0 turns early stopping off"),
				ParameterSpec.string("earlyStoppingMonitor",
						Arrays.stream(Monitor.values())
							.filter(m -> tasks.stream().anyMatch(t -> monitorFits(m, t, null)))
							.map(WireNames::of)
							.toList(),
						"What early stopping watches on the validation split (roc_auc: binary targets only)"),
				ParameterSpec.number("earlyStoppingMinDelta", 0, false, 1e6,
						"Smallest change of the monitored value that counts as an improvement"),
				new ParameterSpec("schedule", "schedule", null, null, false, null,
						"Learning-rate schedule: an object with a type and that type's fields (or just the type's name)",
						List.of(ParameterSpec.string("type", names(ScheduleKind.values()), "Kind of schedule"),
								ParameterSpec.integer("stepSize", 1, 100_000,
										"step: epochs between decays (default 10)"),
								ParameterSpec.number("gamma", 0, true, 1,
										"step, exponential: decay factor (> 0; default 0.5 for step, 0.99 for exponential)"),
								ParameterSpec.integer("warmupEpochs", 0, 100_000,
										"cosine: linear warm-up epochs (default 0)"),
								ParameterSpec.integer("patience", 1, 100_000,
										"reduce_on_plateau: epochs without improvement (default 5)"),
								ParameterSpec.number("factor", 0, true, 0.999,
										"reduce_on_plateau: multiplier of the learning rate (> 0; default 0.5)"))),
				ParameterSpec.number("momentum", 0, false, 0.999,
						"Coefficient of the momentum and nesterov optimizers"));
	}

	public static List<String> names(Enum<?>[] values) {
		return Arrays.stream(values).map(WireNames::of).toList();
	}

}
