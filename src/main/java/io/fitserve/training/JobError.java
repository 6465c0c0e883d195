package io.fitserve.training;

/** Why a job failed, as an RFC 9457 problem object. */
public record JobError(String type, String title, int status, String detail) {

	static JobError of(String slug, String title, String detail) {
		return new JobError("urn:fitserve:problem:" + slug, title, 422, detail);
	}

	static JobError internal(String detail) {
		return new JobError("urn:fitserve:problem:training-error", "Training failed", 500, detail);
	}

}
