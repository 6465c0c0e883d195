package io.fitserve.ml;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kind of prediction a model makes. */
public enum Task {
	REGRESSION, CLASSIFICATION;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static Task fromWireName(String value) {
		for (Task candidate : values()) {
			if (candidate.wireName().equals(value)) {
				return candidate;
			}
		}
		return null;
	}

}
