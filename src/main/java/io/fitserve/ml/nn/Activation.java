package io.fitserve.ml.nn;

import io.fitserve.ml.WireNames;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Hidden-layer activations. */
public enum Activation {

	RELU, TANH, SIGMOID;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static Activation fromWireName(String value) {
		return WireNames.parse(Activation.class, value);
	}

}
