package io.fitserve.ml.nn;

import io.fitserve.ml.WireNames;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What early stopping watches on the validation split; losses and errors improve
 * downward, scores upward.
 */
public enum Monitor {

	VALIDATION_LOSS, ACCURACY, F1, ROC_AUC, R2, MAE;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static Monitor fromWireName(String value) {
		return WireNames.parse(Monitor.class, value);
	}

}
