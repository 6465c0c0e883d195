package io.fitserve.training.algorithms;

import java.util.List;

/**
 * A hyperparameter's shape for the catalogue: type, the values or range validation
 * accepts (minimumExcluded when the minimum itself is refused), its description, and the
 * fields of an object-valued one (the schedule).
 */
public record ParameterSpec(String name, String type, List<String> values, Double minimum, boolean minimumExcluded,
		Double maximum, String description, List<ParameterSpec> fields) {

	public static ParameterSpec string(String name, List<String> values, String description) {
		return new ParameterSpec(name, "string", values, null, false, null, description, null);
	}

	public static ParameterSpec number(String name, double min, boolean minExcluded, double max, String description) {
		return new ParameterSpec(name, "number", null, min, minExcluded, max, description, null);
	}

	public static ParameterSpec integer(String name, long min, long max, String description) {
		return new ParameterSpec(name, "integer", null, (double) min, false, (double) max, description, null);
	}

	public static ParameterSpec bool(String name, String description) {
		return new ParameterSpec(name, "boolean", null, null, false, null, description, null);
	}

}
