package io.fitserve.ml.nn;

import io.fitserve.ml.WireNames;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Loss of the linear SVM; squared hinge is scikit-learn LinearSVC's default and is smooth
 * enough for L-BFGS.
 */
public enum SvmLoss {

	HINGE, SQUARED_HINGE;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static SvmLoss fromWireName(String value) {
		return WireNames.parse(SvmLoss.class, value);
	}

}
