package io.fitserve.ml.linear;

import io.fitserve.ml.WireNames;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How linear regression is fitted: exact normal equations, or the configured gradient
 * optimizer.
 */
public enum LinearSolver {

	AUTO, NORMAL_EQUATION, GRADIENT;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static LinearSolver fromWireName(String value) {
		return WireNames.parse(LinearSolver.class, value);
	}

}
