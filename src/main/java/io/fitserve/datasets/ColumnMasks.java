package io.fitserve.datasets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.privacy.MaskMode;
import io.fitserve.privacy.Pseudonymizer;
import io.fitserve.support.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The upload option {@code mask}: column name to {@link MaskMode}, applied while the CSV
 * is parsed (see {@link ColumnBuilder}), with the pseudonymizer that makes the tokens.
 */
record ColumnMasks(Map<String, MaskMode> modes, Pseudonymizer pseudonymizer) {

	static final ColumnMasks NONE = new ColumnMasks(Map.of(), null);

	/** Longest mask option read, in characters. */
	static final int MAX_LENGTH = 1 << 20;

	/** The mode of a column, or null. */
	MaskMode of(String column) {
		return this.modes.get(column);
	}

	boolean isEmpty() {
		return this.modes.isEmpty();
	}

	/**
	 * Reads the option: a JSON object of column name to mode. Null or blank is no mask; a
	 * value that is not such an object, or names a mode that does not exist, is a 400
	 * naming the field (whether the columns exist is known once the header is read).
	 */
	static ColumnMasks parse(String json, Pseudonymizer pseudonymizer) {
		if (json == null || json.isBlank()) {
			return NONE;
		}
		String example = " e.g. {\"email\": \"pseudonymize\", \"name\": \"drop\"}";
		if (json.length() > MAX_LENGTH) {
			throw invalid("mask is longer than " + MAX_LENGTH + " characters.",
					FieldError.field("mask", "is longer than " + MAX_LENGTH + " characters"));
		}
		JsonNode node;
		try {
			node = Json.mapper().readTree(json);
		}
		catch (JacksonException ex) {
			node = null;
		}
		if (node == null || !node.isObject()) {
			throw invalid(
					"mask must be a JSON object of column name to mode (" + MaskMode.allowed() + ")," + example + ".",
					FieldError.field("mask", "must be a JSON object of column name to mode"));
		}
		Map<String, MaskMode> modes = new LinkedHashMap<>();
		List<FieldError> errors = new ArrayList<>();
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			JsonNode value = entry.getValue();
			MaskMode mode = value.isString() ? MaskMode.fromWireName(value.asString()) : null;
			if (mode == null) {
				errors.add(FieldError.field("mask." + entry.getKey(), "unknown mode; allowed: " + MaskMode.allowed()));
			}
			else {
				modes.put(entry.getKey(), mode);
			}
		}
		if (!errors.isEmpty()) {
			throw invalid("mask names " + errors.size() + " unknown mode(s); allowed: " + MaskMode.allowed() + ".",
					errors.toArray(FieldError[]::new));
		}
		return new ColumnMasks(Map.copyOf(modes), pseudonymizer);
	}

	private static DomainException invalid(String detail, FieldError... errors) {
		return DomainException.invalid(detail, List.of(errors));
	}

}
