package io.fitserve.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Errors raised outside controllers (unsupported media type, method not allowed, no such
 * path) never reach the controller advice; this gives them the same typed problem body.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnmappedRequestProblemResolver implements HandlerExceptionResolver {

	private final JsonMapper json;

	UnmappedRequestProblemResolver(JsonMapper json) {
		this.json = json;
	}

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (handler instanceof HandlerMethod || !(ex instanceof ErrorResponse error) || response.isCommitted()) {
			return null;
		}
		ProblemDetail problem = error.getBody();
		problem.setType(URI.create(ApiExceptionHandler.TYPE_PREFIX + ApiExceptionHandler.slug(error.getStatusCode())));
		if (problem.getDetail() == null) {
			problem.setDetail(problem.getTitle());
		}
		try {
			response.setStatus(error.getStatusCode().value());
			error.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			json.writeValue(response.getOutputStream(), problem);
			return new ModelAndView();
		}
		catch (IOException ex2) {
			return null;
		}
	}

}
