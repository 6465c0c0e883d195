package io.fitserve.web;

import java.net.URI;
import java.util.Locale;

import io.fitserve.errors.DomainException;
import io.fitserve.storage.StorageFaults;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.util.unit.DataSize;

/**
 * Maps every error to an RFC 9457 problem with a stable type URI; never leaks class names
 * or stack traces.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	static final String TYPE_PREFIX = "urn:fitserve:problem:";

	private static final Log log = LogFactory.getLog(ApiExceptionHandler.class);

	private final DataSize maxUploadSize;

	ApiExceptionHandler(@Value("${fitserve.upload.max-size:500MB}") DataSize maxUploadSize) {
		this.maxUploadSize = maxUploadSize;
	}

	@ExceptionHandler(DomainException.class)
	ResponseEntity<ProblemDetail> handleDomain(DomainException ex) {
		HttpStatus status = ProblemStatus.of(ex.kind());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setType(URI.create(TYPE_PREFIX + ex.type()));
		problem.setTitle(ex.title());
		if (!ex.errors().isEmpty()) {
			problem.setProperty("errors", ex.errors());
		}
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (ex.retryAfter() != null) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.retryAfter().toSeconds())));
		}
		return response.body(problem);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		if (StorageFaults.isOutOfSpace(ex)) {
			// e.g. the database could not write on a full disk: 507, not an internal
			// error
			log.warn("Request failed on a full disk: " + ex);
			return handleDomain(StorageFaults.insufficientStorage("this request's changes"));
		}
		log.error("Unexpected error", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"An unexpected error occurred; it has been logged.");
		problem.setType(URI.create(TYPE_PREFIX + "internal-error"));
		problem.setTitle("Internal server error");
		return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"The upload is larger than the limit of " + maxUploadSize + " (fitserve.upload.max-size).");
		problem.setTitle("Upload too large");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = JsonBodyProblems.describe(ex);
		HttpStatusCode answer = HttpStatusCode.valueOf(problem.getStatus());
		return handleExceptionInternal(ex, problem, headers, answer, request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body instanceof ProblemDetail problem) {
			if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
				problem.setType(URI.create(TYPE_PREFIX + slug(statusCode)));
			}
			if (problem.getDetail() == null) {
				problem.setDetail(problem.getTitle());
			}
			problem.setInstance(null);
		}
		HttpHeaders problemHeaders = new HttpHeaders();
		if (headers != null) {
			problemHeaders.putAll(headers);
		}
		problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return super.handleExceptionInternal(ex, body, problemHeaders, statusCode, request);
	}

	static String slug(HttpStatusCode status) {
		HttpStatus known = HttpStatus.resolve(status.value());
		return known == null ? "http-" + status.value() : known.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
