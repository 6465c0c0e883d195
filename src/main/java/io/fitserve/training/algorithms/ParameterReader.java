package io.fitserve.training.algorithms;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fitserve.ml.WireNames;
import io.fitserve.errors.FieldError;

/**
 * Reads one algorithm's hyperparameters from the request's map: each value is checked
 * and, when absent or wrong, replaced by its default, while every problem is added to the
 * error list so that all of them are reported at once. Field names are
 * {@code hyperparameters.<name>}.
 */
public final class ParameterReader {

	private final Map<String, Object> given;

	private final List<FieldError> errors;

	public ParameterReader(Map<String, Object> given, List<FieldError> errors) {
		this.given = given == null ? Map.of() : given;
		this.errors = errors;
	}

	/** The list every problem is added to. */
	public List<FieldError> errors() {
		return this.errors;
	}

	public boolean has(String key) {
		return this.given.containsKey(key);
	}

	public Object raw(String key) {
		return this.given.get(key);
	}

	public void error(String key, String message) {
		this.errors.add(FieldError.field("hyperparameters." + key, message));
	}

	public String string(String key) {
		Object v = this.given.get(key);
		if (v == null || v instanceof String) {
			return (String) v;
		}
		error(key, "must be a string");
		return null;
	}

	public boolean bool(String key, boolean fallback) {
		Object v = this.given.get(key);
		if (v == null) {
			return fallback;
		}
		if (v instanceof Boolean b) {
			return b;
		}
		error(key, "must be true or false");
		return fallback;
	}

	public double number(String key, double fallback, double min, boolean minInclusive, double max) {
		return number(this.given, key, fallback, min, minInclusive, max, this.errors);
	}

	public long integer(String key, long fallback, long min, long max) {
		return integer(this.given, key, fallback, min, max, this.errors);
	}

	/** A wire-named enum value; null (and an error) when unknown, null when absent. */
	public <E extends Enum<E>> E choice(String key, E[] values) {
		return parseEnum("hyperparameters." + key, string(key), values, this.errors, false);
	}

	static double number(Map<String, Object> h, String key, double fallback, double min, boolean minInclusive,
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

	static long integer(Map<String, Object> h, String key, long fallback, long min, long max, List<FieldError> errors) {
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

	/**
	 * Parses a wire name among values; an unknown one is an error naming the allowed
	 * values, a missing one only when required.
	 */
	public static <E extends Enum<E>> E parseEnum(String field, String value, E[] values, List<FieldError> errors,
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
	public static String echo(String value) {
		return value.length() <= 100 ? value : value.substring(0, 100) + "...";
	}

	static String fmt(double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}

}
