package io.fitserve.models;

import java.util.Locale;

/**
 * Whether a model's permutation importance is stored yet: it is computed right after the
 * model is saved (the training job has succeeded and the model serves by then).
 */
public enum ImportanceStatus {

	/** Being computed (or queued to be, also after a restart). */
	PENDING,

	/** Stored; also models without held-out rows, which have none to compute. */
	READY,

	/** Could not be computed; importanceError says why. */
	FAILED;

	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	static ImportanceStatus fromWire(String value) {
		return value == null ? READY : valueOf(value.toUpperCase(Locale.ROOT));
	}

}
