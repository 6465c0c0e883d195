package io.fitserve.ml;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the last layer's scores become a prediction; SVM means raw one-vs-rest margins. */
public enum OutputKind {
	IDENTITY, SIGMOID, SOFTMAX, SVM;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static OutputKind fromWireName(String value) {
		for (OutputKind candidate : values()) {
			if (candidate.wireName().equals(value)) {
				return candidate;
			}
		}
		return null;
	}

}
