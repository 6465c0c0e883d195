package io.fitserve.ml;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Model families fitserve trains. */
public enum Algorithm {

	LINEAR_REGRESSION, LOGISTIC_REGRESSION, LINEAR_SVM, SVM, MLP;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static Algorithm fromWireName(String value) {
		return WireNames.parse(Algorithm.class, value);
	}

}
