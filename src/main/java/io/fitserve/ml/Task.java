package io.fitserve.ml;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kind of prediction a model makes. */
public enum Task {

	/** Clustering has no target: rows are grouped by the features alone. */
	REGRESSION, CLASSIFICATION, CLUSTERING;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static Task fromWireName(String value) {
		return WireNames.parse(Task.class, value);
	}

}
