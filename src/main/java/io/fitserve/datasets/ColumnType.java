package io.fitserve.datasets;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.fitserve.support.WireNames;

/** The inferred type of a dataset column. */
public enum ColumnType {

	NUMERIC, CATEGORICAL, BOOLEAN;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static ColumnType fromWireName(String value) {
		return WireNames.parse(ColumnType.class, value);
	}

}
