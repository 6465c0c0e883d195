package io.fitserve.ml;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What early stopping watches on the validation split; losses and errors improve downward, scores upward. */
public enum Monitor {
	VALIDATION_LOSS, ACCURACY, F1, ROC_AUC, R2, MAE;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static Monitor fromWireName(String value) {
		for (Monitor candidate : values()) {
			if (candidate.wireName().equals(value)) {
				return candidate;
			}
		}
		return null;
	}

}
