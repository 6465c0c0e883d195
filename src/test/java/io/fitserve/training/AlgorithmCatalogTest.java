package io.fitserve.training;

import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.ml.Task;
import io.fitserve.ml.WireNames;
import io.fitserve.ml.nn.Monitor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.fitserve.errors.FieldError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The algorithm catalogue against SpecResolver, the validation it describes: every bound
 * it gives is accepted and one step beyond it refused, every listed value accepted, every
 * name it leaves out for an algorithm refused, and the defaults are the ones a job
 * without hyperparameters gets (checked here by hand for the ones the README names).
 */
class AlgorithmCatalogTest {

	private static final List<AlgorithmInfo> CATALOGUE = AlgorithmCatalog.all();

	@Test
	void listsTheEightAlgorithmsInOrderWithTheirTasks() {
		assertThat(CATALOGUE).extracting(AlgorithmInfo::name)
			.containsExactly("linear_regression", "logistic_regression", "linear_svm", "svm", "mlp",
					"gradient_boosting", "random_forest", "kmeans");
		assertThat(CATALOGUE).extracting(AlgorithmInfo::tasks)
			.containsExactly(List.of("regression"), List.of("classification"), List.of("classification"),
					List.of("classification"), List.of("classification", "regression"),
					List.of("classification", "regression"), List.of("classification", "regression"),
					List.of("clustering"));
		assertThat(CATALOGUE).allSatisfy(a -> assertThat(a.description()).isNotBlank());
	}

	@Test
	void defaultsAreTheOnesTrainingApplies() {
		// the values the README's defaults table gives (scikit-learn's out-of-the-box
		// estimators)
		assertThat(parameter("linear_regression", "optimizer").defaultValue()).isEqualTo("adam");
		assertThat(parameter("linear_regression", "solver").defaultValue()).isEqualTo("auto");
		assertThat(parameter("linear_regression", "l2").defaultValue()).isEqualTo(0.0);
		assertThat(parameter("logistic_regression", "optimizer").defaultValue()).isEqualTo("lbfgs");
		// lbfgs counts iterations in epochs: 500 as scikit-learn's max_iter, not the
		// gradient optimizers' 200
		assertThat(parameter("logistic_regression", "epochs").defaultValue()).isEqualTo(500);
		assertThat(parameter("logistic_regression", "earlyStoppingPatience").defaultValue()).isEqualTo(0);
		assertThat(parameter("logistic_regression", "C").defaultValue()).isEqualTo(1.0);
		// C applies unless l2 is given, so l2 has no default of its own there
		assertThat(parameter("logistic_regression", "l2").defaultValue()).isNull();
		assertThat(parameter("linear_svm", "loss").defaultValue()).isEqualTo("squared_hinge");
		assertThat(parameter("svm", "kernel").defaultValue()).isEqualTo("rbf");
		assertThat(parameter("svm", "gamma").defaultValue()).isEqualTo("scale");
		assertThat(parameter("svm", "degree").defaultValue()).isEqualTo(3);
		assertThat(parameter("svm", "probabilities").defaultValue()).isEqualTo(false);
		assertThat(parameter("mlp", "learningRate").defaultValue()).isEqualTo(0.001);
		assertThat(parameter("mlp", "batchSize").defaultValue()).isEqualTo(200);
		assertThat(parameter("mlp", "l2").defaultValue()).isEqualTo(0.0001);
		assertThat(parameter("mlp", "hiddenLayers").defaultValue()).isEqualTo(List.of(100));
		assertThat(parameter("mlp", "activation").defaultValue()).isEqualTo("relu");
		assertThat(parameter("mlp", "earlyStoppingPatience").defaultValue()).isEqualTo(0);
		assertThat(parameter("mlp", "momentum").defaultValue()).isEqualTo(0.9);
		assertThat(parameter("mlp", "classWeights").defaultValue()).isNull();
		// the tree models: scikit-learn's HistGradientBoosting and RandomForest defaults
		assertThat(parameter("gradient_boosting", "nEstimators").defaultValue()).isEqualTo(100);
		assertThat(parameter("gradient_boosting", "learningRate").defaultValue()).isEqualTo(0.1);
		assertThat(parameter("gradient_boosting", "maxLeaves").defaultValue()).isEqualTo(31);
		assertThat(parameter("gradient_boosting", "minSamplesLeaf").defaultValue()).isEqualTo(20);
		assertThat(parameter("gradient_boosting", "maxBins").defaultValue()).isEqualTo(255);
		assertThat(parameter("gradient_boosting", "earlyStopping").defaultValue()).isEqualTo("auto");
		assertThat(parameter("random_forest", "nEstimators").defaultValue()).isEqualTo(100);
		assertThat(parameter("random_forest", "minSamplesLeaf").defaultValue()).isEqualTo(1);
		assertThat(parameter("random_forest", "bootstrap").defaultValue()).isEqualTo(true);

		AlgorithmInfo.Parameter schedule = parameter("mlp", "schedule");
		assertThat(schedule.type()).isEqualTo("schedule");
		assertThat(schedule.defaultValue()).isEqualTo(Map.of("type", "constant"));
		Map<String, Object> fieldDefaults = new LinkedHashMap<>();
		schedule.fields().forEach(f -> fieldDefaults.put(f.name(), f.defaultValue()));
		// gamma defaults to 0.5 for step and 0.99 for exponential: no single default
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("type", "constant");
		expected.put("stepSize", 10);
		expected.put("gamma", null);
		expected.put("warmupEpochs", 0);
		expected.put("patience", 5);
		expected.put("factor", 0.5);
		assertThat(fieldDefaults).containsExactlyEntriesOf(expected);
	}

	@Test
	void everyBoundIsAcceptedAndOneStepBeyondRefused() {
		int checked = 0;
		for (AlgorithmInfo info : CATALOGUE) {
			String algorithm = info.name();
			for (AlgorithmInfo.Parameter p : info.hyperparameters()) {
				ParameterSpec spec = AlgorithmCatalog.spec(p.name(), algorithm);
				List<ParameterSpec> specs = new ArrayList<>(spec.fields() == null ? List.of(spec) : spec.fields());
				if (spec.alternatives() != null) {
					specs.addAll(spec.alternatives());
				}
				for (ParameterSpec s : specs) {
					if (s.minimum() == null) {
						continue;
					}
					boolean integral = !s.type().startsWith("number");
					double step = integral ? 1
							: Math.max(1e-6, Math.abs(s.maximum() == null ? s.minimum() : s.maximum()) * 1e-6);
					String where = info.name() + " " + p.name() + (spec.fields() != null && spec.fields().contains(s)
							? "." + s.name() : (s == spec ? "" : " (" + s.type() + ")"));
					double min = s.minimum();
					if (s.minimumExcluded()) {
						assertThat(errors(algorithm, p.name(), s, min)).as(where + " = its excluded minimum")
							.isNotEmpty();
						assertThat(errors(algorithm, p.name(), s, min + step)).as(where + " just above minimum")
							.isEmpty();
					}
					else {
						assertThat(errors(algorithm, p.name(), s, min)).as(where + " = minimum").isEmpty();
						assertThat(errors(algorithm, p.name(), s, min - step)).as(where + " below minimum")
							.isNotEmpty();
					}
					if (s.maximum() == null) {
						assertThat(errors(algorithm, p.name(), s, 1e300)).as(where + " has no maximum").isEmpty();
					}
					else {
						assertThat(errors(algorithm, p.name(), s, s.maximum())).as(where + " = maximum").isEmpty();
						assertThat(errors(algorithm, p.name(), s, s.maximum() + step)).as(where + " above maximum")
							.isNotEmpty();
					}
					checked++;
				}
			}
		}
		assertThat(checked).isGreaterThan(40);
	}

	@Test
	void everyAlternativeShapeIsAccepted() {
		int checked = 0;
		for (AlgorithmInfo info : CATALOGUE) {
			String algorithm = info.name();
			Task task = AlgorithmCatalog.tasks(algorithm).get(0);
			for (AlgorithmInfo.Parameter p : info.hyperparameters()) {
				ParameterSpec spec = AlgorithmCatalog.spec(p.name(), algorithm);
				for (ParameterSpec alternative : spec.alternatives() == null ? List.<ParameterSpec>of()
						: spec.alternatives()) {
					String where = algorithm + " " + p.name() + " (" + alternative.type() + ")";
					assertThat(alternative.name()).isEqualTo(p.name());
					switch (alternative.type()) {
						case "boolean" -> {
							assertThat(resolve(algorithm, task, Map.of(p.name(), true))).as(where).isEmpty();
							assertThat(resolve(algorithm, task, Map.of(p.name(), false))).as(where).isEmpty();
						}
						case "number_map" -> {
							assertThat(resolve(algorithm, task, Map.of(p.name(), Map.of("a", 1.0, "b", 2.0)))).as(where)
								.isEmpty();
							assertThat(resolve(algorithm, task, Map.of(p.name(), Map.of()))).as(where + " empty")
								.isNotEmpty();
						}
						// kmeans' k and nInit: "auto"
						case "string" -> {
							for (String value : alternative.values()) {
								assertThat(resolve(algorithm, task, Map.of(p.name(), value))).as(where + " " + value)
									.isEmpty();
							}
							assertThat(resolve(algorithm, task, Map.of(p.name(), "never"))).as(where + " never")
								.isNotEmpty();
						}
						// numbers: their bounds are walked above
						default -> assertThat(alternative.type()).as(where).isEqualTo("number");
					}
					checked++;
				}
			}
		}
		// gamma, maxFeatures, earlyStopping, classWeights of the six classifiers, and
		// kmeans' k and nInit
		assertThat(checked).isEqualTo(11);
	}

	@Test
	void everyListedValueIsAcceptedAndOthersRefused() {
		for (AlgorithmInfo info : CATALOGUE) {
			String algorithm = info.name();
			List<Task> tasks = AlgorithmCatalog.tasks(algorithm);
			for (AlgorithmInfo.Parameter p : info.hyperparameters()) {
				String where = info.name() + " " + p.name();
				switch (p.type()) {
					case "string" -> {
						for (String value : p.values()) {
							assertThat(tasks.stream()
								.anyMatch(t -> resolve(algorithm, t, Map.of(p.name(), value)).isEmpty()))
								.as(where + " = " + value)
								.isTrue();
						}
						assertThat(resolve(algorithm, tasks.get(0), Map.of(p.name(), "no_such_value")))
							.as(where + " = no_such_value")
							.isNotEmpty();
					}
					case "boolean" -> {
						assertThat(resolve(algorithm, tasks.get(0), Map.of(p.name(), true))).as(where).isEmpty();
						assertThat(resolve(algorithm, tasks.get(0), Map.of(p.name(), false))).as(where).isEmpty();
						assertThat(resolve(algorithm, tasks.get(0), Map.of(p.name(), "yes"))).as(where).isNotEmpty();
					}
					case "schedule" -> {
						for (String type : p.fields().get(0).values()) {
							assertThat(resolve(algorithm, tasks.get(0), Map.of("schedule", Map.of("type", type))))
								.as(where + " " + type)
								.isEmpty();
						}
					}
					default -> {
					}
				}
			}
		}
		// the values left out are refused: lbfgs for mlp, regression monitors for
		// classifiers
		assertThat(resolve("mlp", Task.REGRESSION, Map.of("optimizer", "lbfgs"))).isNotEmpty();
		assertThat(parameter("mlp", "optimizer").values()).doesNotContain("lbfgs");
		for (Monitor monitor : Monitor.values()) {
			boolean listed = parameter("logistic_regression", "earlyStoppingMonitor").values()
				.contains(WireNames.of(monitor));
			assertThat(resolve("logistic_regression", Task.CLASSIFICATION,
					Map.of("earlyStoppingMonitor", WireNames.of(monitor)))
				.isEmpty()).as(monitor.name()).isEqualTo(listed);
		}
	}

	@Test
	void namesNotListedForAnAlgorithmAreRefused() {
		Set<String> everyName = new TreeSet<>();
		CATALOGUE.forEach(a -> a.hyperparameters().forEach(p -> everyName.add(p.name())));
		for (AlgorithmInfo info : CATALOGUE) {
			String algorithm = info.name();
			Set<String> listed = new TreeSet<>();
			info.hyperparameters().forEach(p -> listed.add(p.name()));
			for (String name : everyName) {
				if (!listed.contains(name)) {
					List<FieldError> errors = resolve(algorithm, AlgorithmCatalog.tasks(algorithm).get(0),
							Map.of(name, 1));
					assertThat(errors).as(info.name() + " " + name)
						.anySatisfy(e -> assertThat(e.field()).isEqualTo("hyperparameters." + name));
				}
			}
		}
	}

	private static List<FieldError> errors(String algorithm, String name, ParameterSpec spec, double value) {
		Object number = spec.type().startsWith("number") ? (Object) value : (Object) (long) value;
		Map<String, Object> h;
		if (spec.type().equals("integer_list")) {
			h = Map.of(name, List.of(number));
		}
		else if (spec.type().equals("number_map")) {
			h = Map.of(name, Map.of("a", number));
		}
		else if (name.equals("schedule")) {
			String type = switch (spec.name()) {
				case "stepSize", "gamma" -> "step";
				case "warmupEpochs" -> "cosine";
				default -> "reduce_on_plateau";
			};
			h = Map.of(name, Map.of("type", type, spec.name(), number));
		}
		else {
			h = Map.of(name, number);
		}
		return resolve(algorithm, AlgorithmCatalog.tasks(algorithm).get(0), h);
	}

	private static List<FieldError> resolve(String algorithm, Task task, Map<String, Object> given) {
		List<FieldError> errors = new ArrayList<>();
		SpecResolver.resolveHyperparameters(given, algorithm, task, null, errors);
		return errors;
	}

	private static AlgorithmInfo.Parameter parameter(String algorithm, String name) {
		return CATALOGUE.stream()
			.filter(a -> a.name().equals(algorithm))
			.findFirst()
			.orElseThrow()
			.hyperparameters()
			.stream()
			.filter(p -> p.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError(algorithm + " does not list " + name + ": "
					+ Arrays.toString(CATALOGUE.stream().filter(a -> a.name().equals(algorithm)).toArray())));
	}

}
