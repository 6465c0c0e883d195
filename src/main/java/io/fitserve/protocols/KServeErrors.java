package io.fitserve.protocols;

import java.util.stream.Collectors;

import io.fitserve.errors.DomainException;
import io.fitserve.protocols.KServeTypes.ErrorResponse;
import io.fitserve.web.JsonBodyProblems;
import io.fitserve.web.ProblemStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The V2 protocol's errors: {@code {"error": "..."}} with a 4xx, not problem details. A
 * row the prediction service cannot use (its 422) is the protocol's 400; an unknown model
 * or version stays 404.
 */
@RestControllerAdvice(assignableTypes = KServeController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class KServeErrors {

	private static final Log log = LogFactory.getLog(KServeErrors.class);

	@ExceptionHandler(DomainException.class)
	ResponseEntity<ErrorResponse> api(DomainException ex) {
		HttpStatus status = ex.kind() == DomainException.Kind.UNPROCESSABLE ? HttpStatus.BAD_REQUEST
				: ProblemStatus.of(ex.kind());
		String message = ex.getMessage();
		if (!ex.errors().isEmpty()) {
			message += " " + ex.errors().stream().map(KServeErrors::describe).collect(Collectors.joining("; "));
		}
		return error(status, message);
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ErrorResponse> unreadable(HttpMessageNotReadableException ex) {
		ProblemDetail problem = JsonBodyProblems.describe(ex);
		return error(HttpStatusCode.valueOf(problem.getStatus()), problem.getDetail());
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ErrorResponse> unexpected(Exception ex) {
		if (ex instanceof org.springframework.web.ErrorResponse error) {
			// a framework error with its own status (missing body, unsupported media
			// type, ...)
			String detail = error.getBody().getDetail();
			return error(error.getStatusCode(), detail == null ? error.getBody().getTitle() : detail);
		}
		log.error("Unexpected error", ex);
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred; it has been logged.");
	}

	private static String describe(io.fitserve.errors.FieldError error) {
		StringBuilder out = new StringBuilder();
		if (error.row() != null) {
			out.append("row ").append(error.row()).append(' ');
		}
		if (error.field() != null) {
			out.append(error.field()).append(": ");
		}
		else if (error.column() != null) {
			out.append(error.column()).append(": ");
		}
		return out.append(error.message()).toString();
	}

	private static ResponseEntity<ErrorResponse> error(HttpStatusCode status, String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ErrorResponse(message));
	}

}
