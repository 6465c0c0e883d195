package io.fitserve.training;

import io.fitserve.ml.Task;
import io.fitserve.ml.WireNames;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.ScheduleSettings;
import io.fitserve.training.algorithms.TrainingParameters;
import io.fitserve.ml.nn.ScheduleKind;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.errors.FieldError;

/**
 * What each algorithm accepts, for clients that build a training form. Which
 * hyperparameters an algorithm takes and what their defaults are come from SpecResolver
 * itself (its table of names, and resolving an empty hyperparameters object), so the two
 * cannot disagree; the types and ranges here mirror SpecResolver's checks and
 * AlgorithmCatalogTest holds them to it (each bound accepted, one step beyond refused).
 */
final class AlgorithmCatalog {

	private AlgorithmCatalog() {
	}

	/** Every algorithm, in the registry's order. */
	static List<AlgorithmInfo> all() {
		List<AlgorithmInfo> all = new ArrayList<>();
		for (AlgorithmDescriptor<?> algorithm : AlgorithmRegistry.all()) {
			List<Task> tasks = algorithm.tasks();
			Map<String, Object> defaults = defaults(algorithm.name(), tasks.get(0)).values();
			List<AlgorithmInfo.Parameter> parameters = new ArrayList<>();
			for (ParameterSpec spec : algorithm.parameters()) {
				parameters.add(parameter(spec, defaults.get(spec.name()), algorithm.name(), tasks.get(0)));
			}
			all.add(new AlgorithmInfo(algorithm.name(), tasks.stream().map(Task::wireName).toList(),
					algorithm.description(), List.copyOf(parameters)));
		}
		return List.copyOf(all);
	}

	/**
	 * The tasks algorithm trains: the one it implies, or both when it infers the task
	 * from the target.
	 */
	static List<Task> tasks(String algorithm) {
		return AlgorithmRegistry.get(algorithm).tasks();
	}

	/**
	 * What SpecResolver fills in when a job gives no hyperparameters: the defaults
	 * training applies.
	 */
	static TrainingParameters defaults(String algorithm, Task task) {
		List<FieldError> errors = new ArrayList<>();
		TrainingParameters resolved = SpecResolver.resolveHyperparameters(Map.of(), algorithm, task, null, errors);
		if (!errors.isEmpty()) {
			throw new IllegalStateException("the defaults of " + algorithm + " do not resolve: " + errors);
		}
		return resolved;
	}

	/** The shape of one hyperparameter of algorithm, as its descriptor declares it. */
	static ParameterSpec spec(String name, String algorithm) {
		return AlgorithmRegistry.get(algorithm)
			.parameters()
			.stream()
			.filter(p -> p.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no catalogue entry for the hyperparameter " + name));
	}

	private static AlgorithmInfo.Parameter parameter(ParameterSpec spec, Object defaultValue, String algorithm,
			Task task) {
		List<AlgorithmInfo.Parameter> fields = null;
		if (spec.fields() != null) {
			ScheduleSettings schedule = (ScheduleSettings) defaultValue;
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
	private static Map<String, Object> scheduleFieldDefaults(String algorithm, Task task) {
		Map<String, List<Object>> seen = new LinkedHashMap<>();
		for (ScheduleKind kind : ScheduleKind.values()) {
			List<FieldError> errors = new ArrayList<>();
			TrainingParameters resolved = SpecResolver.resolveHyperparameters(
					Map.of("schedule", Map.of("type", WireNames.of(kind))), algorithm, task, null, errors);
			if (!errors.isEmpty()) {
				throw new IllegalStateException("the " + WireNames.of(kind) + " schedule does not resolve: " + errors);
			}
			components((ScheduleSettings) resolved.values().get("schedule")).forEach((name, value) -> {
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
	private static Map<String, Object> components(ScheduleSettings schedule) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (RecordComponent component : ScheduleSettings.class.getRecordComponents()) {
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

}
