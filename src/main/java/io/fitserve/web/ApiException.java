package io.fitserve.web;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * An error the API reports as an RFC 9457 problem: a stable type slug, a title, a status,
 * a detail and optionally the list of individual errors.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	private final String title;

	private final List<FieldError> errors;

	private final Duration retryAfter;

	public ApiException(HttpStatus status, String type, String title, String detail, List<FieldError> errors,
			Duration retryAfter) {
		super(detail);
		this.status = status;
		this.type = type;
		this.title = title;
		this.errors = errors == null ? List.of() : List.copyOf(errors);
		this.retryAfter = retryAfter;
	}

	public static ApiException notFound(String what, Object id) {
		return new ApiException(HttpStatus.NOT_FOUND, "not-found", what + " not found",
				"No " + what.toLowerCase() + " with id '" + id + "'.", null, null);
	}

	public static ApiException conflict(String detail) {
		return new ApiException(HttpStatus.CONFLICT, "conflict", "Conflict with the resource's current state", detail,
				null, null);
	}

	public static ApiException invalid(String detail, List<FieldError> errors) {
		return new ApiException(HttpStatus.BAD_REQUEST, "validation-error", "The request is not valid", detail, errors,
				null);
	}

	public static ApiException unprocessable(String detail, List<FieldError> errors) {
		return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unprocessable-input",
				"The input cannot be processed", detail, errors, null);
	}

	public static ApiException tooManyRequests(String detail, Duration retryAfter) {
		return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "Too many requests", detail, null,
				retryAfter);
	}

	public static ApiException unavailable(String detail, Duration retryAfter) {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable", detail,
				null, retryAfter);
	}

	public HttpStatus status() {
		return status;
	}

	public String type() {
		return type;
	}

	public String title() {
		return title;
	}

	public List<FieldError> errors() {
		return errors;
	}

	public Duration retryAfter() {
		return retryAfter;
	}

}
