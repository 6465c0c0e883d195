package io.fitserve.errors;

import java.time.Duration;
import java.util.List;

/**
 * Something a service refuses or cannot do, said in domain words: what kind of failure it
 * is, a stable type slug, a title, a detail and optionally the individual field errors
 * and when to retry. Services, runners and stores throw it; only the web layer decides
 * which HTTP status reports each {@link Kind} (see
 * {@code io.fitserve.web.ProblemStatus}).
 */
public class DomainException extends RuntimeException {

	/** What happened: a closed set, so that the web layer's mapping stays exhaustive. */
	public enum Kind {

		/** The request itself is malformed or breaks a documented rule (field errors). */
		INVALID,

		/** The named resource does not exist (or is not visible). */
		NOT_FOUND,

		/** The request conflicts with the resource's current state. */
		CONFLICT,

		/** The request or its body is larger than a configured limit. */
		TOO_LARGE,

		/** The request is well formed but its data cannot be used (bad rows, columns). */
		UNPROCESSABLE,

		/**
		 * A limit on concurrent work is reached; try again after {@link #retryAfter()}.
		 */
		TOO_BUSY,

		/**
		 * The service cannot do this now (starting, stopping); may carry a retry-after.
		 */
		UNAVAILABLE,

		/**
		 * Stored data failed its integrity check: the fault is ours, not the caller's.
		 */
		CORRUPT,

		/** There is not enough free disk space to store what was asked. */
		OUT_OF_SPACE

	}

	private final Kind kind;

	private final String type;

	private final String title;

	private final List<FieldError> errors;

	private final Duration retryAfter;

	public DomainException(Kind kind, String type, String title, String detail, List<FieldError> errors,
			Duration retryAfter) {
		super(detail);
		this.kind = kind;
		this.type = type;
		this.title = title;
		this.errors = errors == null ? List.of() : List.copyOf(errors);
		this.retryAfter = retryAfter;
	}

	public static DomainException notFound(String what, Object id) {
		return new DomainException(Kind.NOT_FOUND, "not-found", what + " not found",
				"No " + what.toLowerCase() + " with id '" + id + "'.", null, null);
	}

	public static DomainException conflict(String detail) {
		return new DomainException(Kind.CONFLICT, "conflict", "Conflict with the resource's current state", detail,
				null, null);
	}

	public static DomainException invalid(String detail, List<FieldError> errors) {
		return new DomainException(Kind.INVALID, "validation-error", "The request is not valid", detail, errors, null);
	}

	public static DomainException unprocessable(String detail, List<FieldError> errors) {
		return new DomainException(Kind.UNPROCESSABLE, "unprocessable-input", "The input cannot be processed", detail,
				errors, null);
	}

	public static DomainException tooBusy(String detail, Duration retryAfter) {
		return new DomainException(Kind.TOO_BUSY, "too-many-requests", "Too many requests", detail, null, retryAfter);
	}

	public static DomainException unavailable(String detail, Duration retryAfter) {
		return new DomainException(Kind.UNAVAILABLE, "service-unavailable", "Service unavailable", detail, null,
				retryAfter);
	}

	public static DomainException tooLarge(String detail) {
		return new DomainException(Kind.TOO_LARGE, "content-too-large", "Request body too large", detail, null, null);
	}

	public Kind kind() {
		return kind;
	}

	/** The stable problem type slug, e.g. {@code not-found}. */
	public String type() {
		return type;
	}

	public String title() {
		return title;
	}

	public List<FieldError> errors() {
		return errors;
	}

	/** When the caller may try again, or null. */
	public Duration retryAfter() {
		return retryAfter;
	}

}
