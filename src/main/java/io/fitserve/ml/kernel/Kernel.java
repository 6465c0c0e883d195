package io.fitserve.ml.kernel;

import io.fitserve.ml.WireNames;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Kernels of the kernel SVM. */
public enum Kernel {

	LINEAR, RBF, POLY;

	/** The lowercase snake_case name used on the wire. */
	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static Kernel fromWireName(String value) {
		return WireNames.parse(Kernel.class, value);
	}

}
