package io.fitserve.web;

import java.io.IOException;

import org.springframework.util.unit.DataSize;

/**
 * A request body grew past its byte limit while it was read (a chunked body, or one that sent more
 * than it declared); answered with 413 naming the limit and its property.
 */
public class BodyTooLargeException extends IOException {

	private final DataSize limit;

	private final String property;

	public BodyTooLargeException(DataSize limit, String property) {
		super("request body larger than " + limit);
		this.limit = limit;
		this.property = property;
	}

	public DataSize limit() {
		return this.limit;
	}

	public String property() {
		return this.property;
	}

	/** The problem detail: the limit and the property that sets it. */
	public String detail() {
		return "The request body is larger than the limit of " + this.limit + " (" + this.property + ").";
	}

}
