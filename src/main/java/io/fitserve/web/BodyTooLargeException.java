package io.fitserve.web;

import java.io.IOException;

import org.springframework.util.unit.DataSize;

/**
 * A request body grew past its byte limit while it was read (a chunked body, or one that
 * sent more than it declared); answered with 413 naming the limit and its property.
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
		return "The request body is larger than the limit of " + human(this.limit) + " (" + this.property + ").";
	}

	/** 16MB, 64KB or 1000 bytes: as the property would be written. */
	public static String human(DataSize size) {
		long bytes = size.toBytes();
		if (bytes > 0 && bytes % (1L << 20) == 0) {
			return (bytes >> 20) + "MB";
		}
		if (bytes > 0 && bytes % 1024 == 0) {
			return (bytes >> 10) + "KB";
		}
		return bytes + " bytes";
	}

}
