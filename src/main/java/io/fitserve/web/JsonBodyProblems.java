package io.fitserve.web;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fitserve.errors.FieldError;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Turns a request body that could not be read into a problem that says what is wrong and
 * where: the field path of an unknown field or a value of the wrong type, the line and
 * column of a syntax error, the limit a body broke. Built only from field names,
 * positions and fixed wording: never from an exception message, so no class name or
 * internal detail reaches the client.
 */
public final class JsonBodyProblems {

	/** Longest field path echoed back; a hostile body could use a megabyte-long key. */
	private static final int MAX_ECHO = 120;

	private JsonBodyProblems() {
	}

	public static ProblemDetail describe(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof BodyTooLargeException tooLarge) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
						tooLarge.detail());
				problem.setTitle("Request body too large");
				return problem;
			}
			if (t instanceof StreamConstraintsException limit) {
				return badRequest("The request body breaks a parser limit: " + constraint(limit)
						+ location(limit.getLocation()) + ".", null);
			}
			if (t instanceof PropertyBindingException unknown) {
				String field = path(unknown);
				return invalid("The request body has an unknown field '" + field + "'.", field,
						"unknown field" + known(unknown.getKnownPropertyIds()));
			}
			if (t instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
				String field = path(mismatch);
				return invalid("The request body's field '" + field + "' has the wrong type.", field,
						"must be " + expected(mismatch.getTargetType()));
			}
			if (t instanceof StreamReadException syntax) {
				return badRequest("The request body is not valid JSON" + location(syntax.getLocation()) + ".", null);
			}
		}
		return badRequest("The request body is missing, is not valid JSON, or does not match the expected shape.",
				null);
	}

	private static ProblemDetail badRequest(String detail, String title) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle(title == null ? "Malformed request body" : title);
		return problem;
	}

	private static ProblemDetail invalid(String detail, String field, String message) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setType(URI.create(ApiExceptionHandler.TYPE_PREFIX + "validation-error"));
		problem.setTitle("The request is not valid");
		problem.setProperty("errors", List.of(FieldError.field(field, message)));
		return problem;
	}

	/** "rows[3].x", "crossValidation.folds"; "body" for the root. */
	static String path(JacksonException ex) {
		StringBuilder out = new StringBuilder();
		for (JacksonException.Reference ref : ex.getPath()) {
			if (ref.getPropertyName() != null) {
				if (out.length() > 0) {
					out.append('.');
				}
				out.append(ref.getPropertyName());
			}
			else if (ref.getIndex() >= 0) {
				out.append('[').append(ref.getIndex()).append(']');
			}
		}
		String path = out.length() == 0 ? "body" : out.toString();
		return path.length() > MAX_ECHO ? path.substring(0, MAX_ECHO) + "..." : path;
	}

	private static String known(Collection<Object> names) {
		if (names == null || names.isEmpty()) {
			return "";
		}
		return "; allowed: " + names.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
	}

	/** What a JSON value of the target type looks like, without naming Java types. */
	private static String expected(Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (type == Long.class || type == Integer.class || type == long.class || type == int.class
				|| type == Short.class || type == short.class) {
			return "an integer (no fraction)";
		}
		if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class) {
			return "a string";
		}
		if (Collection.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		if (Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "an object";
		}
		return "of another type";
	}

	private static String constraint(StreamConstraintsException ex) {
		String message = String.valueOf(ex.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
		if (message.contains("nesting depth")) {
			return "arrays and objects nest too deeply (fitserve.json.max-nesting-depth)";
		}
		if (message.contains("string value length")) {
			return "a string is too long (fitserve.json.max-string-length)";
		}
		if (message.contains("name length")) {
			return "a field name is too long (fitserve.json.max-string-length)";
		}
		if (message.contains("number value length")) {
			return "a number has too many digits";
		}
		return "the body is too large or too complex";
	}

	private static String location(TokenStreamLocation location) {
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
	}

}
