package io.fitserve.training.algorithms;

import java.util.ArrayList;
import java.util.List;

/**
 * A hyperparameter's shape for the catalogue and the OpenAPI document: type, the values
 * or range validation accepts (minimumExcluded when the minimum itself is refused), its
 * description, the fields of an object-valued one (the schedule), and the other shapes
 * validation accepts for the same name (alternatives: gamma is "scale", "auto" or a
 * number &gt; 0). Types: string (one of values), number, integer, boolean, integer_list
 * (a list of integers, each within minimum..maximum), schedule (an object whose keys are
 * fields, or the name of its type alone) and number_map (an object whose values are
 * numbers within minimum..maximum, e.g. class label -&gt; weight).
 */
public record ParameterSpec(String name, String type, List<String> values, Double minimum, boolean minimumExcluded,
		Double maximum, String description, List<ParameterSpec> fields, List<ParameterSpec> alternatives) {

	/** A spec with no alternative shapes. */
	public ParameterSpec(String name, String type, List<String> values, Double minimum, boolean minimumExcluded,
			Double maximum, String description, List<ParameterSpec> fields) {
		this(name, type, values, minimum, minimumExcluded, maximum, description, fields, null);
	}

	public static ParameterSpec string(String name, List<String> values, String description) {
		return new ParameterSpec(name, "string", values, null, false, null, description, null);
	}

	public static ParameterSpec number(String name, double min, boolean minExcluded, double max, String description) {
		return new ParameterSpec(name, "number", null, min, minExcluded, max, description, null);
	}

	/** A number above min (or at it, unless minExcluded) with no upper bound. */
	public static ParameterSpec number(String name, double min, boolean minExcluded, String description) {
		return new ParameterSpec(name, "number", null, min, minExcluded, null, description, null);
	}

	public static ParameterSpec integer(String name, long min, long max, String description) {
		return new ParameterSpec(name, "integer", null, (double) min, false, (double) max, description, null);
	}

	public static ParameterSpec bool(String name, String description) {
		return new ParameterSpec(name, "boolean", null, null, false, null, description, null);
	}

	/** An object of numbers in (min, max] (or [min, max] unless minExcluded). */
	public static ParameterSpec numberMap(String name, double min, boolean minExcluded, double max,
			String description) {
		return new ParameterSpec(name, "number_map", null, min, minExcluded, max, description, null);
	}

	/**
	 * This spec, with another shape validation also accepts for the same name (its name
	 * is this one's).
	 */
	public ParameterSpec or(ParameterSpec alternative) {
		List<ParameterSpec> all = new ArrayList<>(this.alternatives == null ? List.of() : this.alternatives);
		all.add(new ParameterSpec(this.name, alternative.type(), alternative.values(), alternative.minimum(),
				alternative.minimumExcluded(), alternative.maximum(), alternative.description(), alternative.fields(),
				null));
		return new ParameterSpec(this.name, this.type, this.values, this.minimum, this.minimumExcluded, this.maximum,
				this.description, this.fields, List.copyOf(all));
	}

}
