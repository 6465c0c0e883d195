package io.fitserve.datasets;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The inferred type of a dataset column. */
public enum ColumnType {
	NUMERIC, CATEGORICAL, BOOLEAN;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static ColumnType fromWireName(String value) {
		for (ColumnType candidate : values()) {
			if (candidate.wireName().equals(value)) {
				return candidate;
			}
		}
		return null;
	}

}
