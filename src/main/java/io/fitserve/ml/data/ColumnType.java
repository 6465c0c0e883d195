package io.fitserve.ml.data;

import io.fitserve.ml.WireNames;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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
