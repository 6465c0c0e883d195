package io.fitserve.web;

import java.util.List;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.support.Ids;

/** Checks on request fields shared by several endpoints. */
public final class RequestChecks {

	/**
	 * Longest dataset name, file name or column name kept (the width of the stored
	 * columns).
	 */
	public static final int MAX_NAME_LENGTH = 255;

	private RequestChecks() {
	}

	/**
	 * 400 naming {@code datasetId} when it is present but not a UUID (an absent one is
	 * the caller's to report).
	 */
	public static void datasetId(String id) {
		if (id != null && Ids.parse(id).isEmpty()) {
			throw DomainException.invalid("datasetId must be the id of an uploaded dataset (a UUID).",
					List.of(FieldError.field("datasetId", "must be a UUID")));
		}
	}

	/**
	 * 400 naming {@code field} when a name is longer than {@link #MAX_NAME_LENGTH} or
	 * holds a control character (a NUL, a newline): names are shown in listings and logs,
	 * never used as paths.
	 */
	public static void name(String field, String name) {
		if (name == null) {
			return;
		}
		if (name.length() > MAX_NAME_LENGTH) {
			throw DomainException.invalid(
					field + " is " + name.length() + " characters long; the limit is " + MAX_NAME_LENGTH + ".",
					List.of(FieldError.field(field, "must be at most " + MAX_NAME_LENGTH + " characters")));
		}
		for (int i = 0; i < name.length(); i++) {
			if (Character.isISOControl(name.charAt(i))) {
				throw DomainException.invalid(field + " contains a control character at position " + (i + 1) + ".",
						List.of(FieldError.field(field, "must not contain control characters")));
			}
		}
	}

}
