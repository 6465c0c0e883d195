package io.fitserve.ml;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Hidden-layer activations. */
public enum Activation {
	RELU, TANH, SIGMOID;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static Activation fromWireName(String value) {
		for (Activation candidate : values()) {
			if (candidate.wireName().equals(value)) {
				return candidate;
			}
		}
		return null;
	}

}
