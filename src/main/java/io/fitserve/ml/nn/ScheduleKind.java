package io.fitserve.ml.nn;

import io.fitserve.ml.WireNames;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Learning-rate schedules. */
public enum ScheduleKind {

	CONSTANT, STEP, EXPONENTIAL, COSINE, REDUCE_ON_PLATEAU;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static ScheduleKind fromWireName(String value) {
		return WireNames.parse(ScheduleKind.class, value);
	}

}
