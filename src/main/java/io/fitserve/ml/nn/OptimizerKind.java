package io.fitserve.ml.nn;

import io.fitserve.ml.WireNames;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Gradient update rules. */
public enum OptimizerKind {

	SGD, MOMENTUM, NESTEROV, ADAM, RMSPROP, ADAGRAD, LBFGS;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static OptimizerKind fromWireName(String value) {
		return WireNames.parse(OptimizerKind.class, value);
	}

}
