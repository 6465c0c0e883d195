package io.fitserve.ml;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How linear regression is fitted: exact normal equations, or the configured gradient optimizer. */
public enum LinearSolver {
	AUTO, NORMAL_EQUATION, GRADIENT;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static LinearSolver fromWireName(String value) {
		for (LinearSolver candidate : values()) {
			if (candidate.wireName().equals(value)) {
				return candidate;
			}
		}
		return null;
	}

}
