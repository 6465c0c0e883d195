package io.fitserve.training;

import io.fitserve.ml.WireNames;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;

/** Where a training job is in its life. */
public enum JobStatus {

	QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	public boolean finished() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}

	/** A list endpoint's status filter: null for none, 400 for an unknown status. */
	public static JobStatus filter(String status) {
		if (status == null) {
			return null;
		}
		JobStatus parsed = fromWireName(status);
		if (parsed == null) {
			throw DomainException.invalid("Unknown status '" + status + "'.",
					List.of(FieldError.field("status", "allowed: queued, running, succeeded, failed, cancelled")));
		}
		return parsed;
	}

	/** Parses a wire name; null if unknown. */
	public static JobStatus fromWireName(String value) {
		return WireNames.parse(JobStatus.class, value);
	}

}
