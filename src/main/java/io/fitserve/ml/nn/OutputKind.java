package io.fitserve.ml.nn;

import io.fitserve.ml.WireNames;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the last layer's scores become a prediction; SVM means raw one-vs-rest margins. */
public enum OutputKind {

	IDENTITY, SIGMOID, SOFTMAX, SVM;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static OutputKind fromWireName(String value) {
		return WireNames.parse(OutputKind.class, value);
	}

}
