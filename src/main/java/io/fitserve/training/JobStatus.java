package io.fitserve.training;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a training job is in its life. */
public enum JobStatus {

	QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	public boolean finished() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}

	/** Parses a wire name; null if unknown. */
	public static JobStatus fromWireName(String value) {
		for (JobStatus s : values()) {
			if (s.wireName().equals(value)) {
				return s;
			}
		}
		return null;
	}

}
