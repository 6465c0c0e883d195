package io.fitserve.errors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a problem's {@code errors} array: what is wrong and where (a field, a row,
 * a column, or a CSV line).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, Long row, String column, String message) {

	public static FieldError field(String field, String message) {
		return new FieldError(field, null, null, message);
	}

	public static FieldError row(long row, String field, String message) {
		return new FieldError(field, row, null, message);
	}

	public static FieldError line(long line, String column, String message) {
		return new FieldError(null, line, column, message);
	}

}
