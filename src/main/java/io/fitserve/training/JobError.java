package io.fitserve.training;

import io.fitserve.errors.DomainException;
import io.fitserve.web.ProblemStatus;

/** Why a job failed, as an RFC 9457 problem object. */
public record JobError(String type, String title, int status, String detail) {

	static JobError of(String slug, String title, String detail) {
		return new JobError("urn:fitserve:problem:" + slug, title, 422, detail);
	}

	/**
	 * The problem a request failing the same way would have answered: a job's error is
	 * shown as a problem object, so its status comes from the web layer's table.
	 */
	static JobError of(DomainException ex) {
		return new JobError("urn:fitserve:problem:" + ex.type(), ex.title(), ProblemStatus.of(ex.kind()).value(),
				ex.getMessage());
	}

	static JobError internal(String detail) {
		return new JobError("urn:fitserve:problem:training-error", "Training failed", 500, detail);
	}

}
