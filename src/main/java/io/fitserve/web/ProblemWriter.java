package io.fitserve.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Writes an RFC 9457 problem straight to a servlet response, for errors raised before a
 * controller is reached (authentication, authorization), in the same shape as
 * {@link ApiExceptionHandler}'s.
 */
@Component
public class ProblemWriter {

	private final JsonMapper json;

	ProblemWriter(JsonMapper json) {
		this.json = json;
	}

	public void write(HttpServletResponse response, HttpStatus status, String type, String title, String detail)
			throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(ApiExceptionHandler.TYPE_PREFIX + type));
		problem.setTitle(title);
		byte[] body = json.writeValueAsBytes(problem);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		response.flushBuffer();
	}

	/**
	 * The {@code {"error": "..."}} body of a protocol with its own error shape (the
	 * KServe Open Inference Protocol V2 under {@code /v2}), for errors raised before its
	 * controller is reached.
	 */
	public void writeError(HttpServletResponse response, HttpStatus status, String message) throws IOException {
		byte[] body = json.writeValueAsBytes(java.util.Map.of("error", message));
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		response.flushBuffer();
	}

}
