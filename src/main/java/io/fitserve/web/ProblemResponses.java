package io.fitserve.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fitserve.errors.FieldError;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Declares the problem responses every operation can give, so that controllers declare
 * only their own (409, 413, 422, 429, ...): 401 and 403 everywhere (every operation needs
 * a key, and roles differ), 404 where the path has an id, 400 where there is a query
 * parameter or a body, 415 where there is a body, 500 everywhere. Every 4xx and 5xx
 * response, declared here or on a controller, answers application/problem+json with the
 * ProblemDetail schema.
 * <p>
 * Not the KServe Open Inference Protocol V2 under {@code /v2}: its errors are the
 * protocol's {@code {"error": "..."}}, not problem details, and
 * {@code protocols.KServeResponses} declares them.
 */
public class ProblemResponses implements OpenApiCustomizer {

	static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	static final String PROBLEM_SCHEMA = "ProblemDetail";

	static final String FIELD_ERROR_SCHEMA = "ProblemFieldError";

	/**
	 * Paths of a protocol with its own error shape (the KServe Open Inference Protocol
	 * V2), left alone here.
	 */
	public static final String OWN_ERRORS_PREFIX = "/v2/";

	@Override
	public void customise(OpenAPI openApi) {
		openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
		openApi.getComponents().addSchemas(FIELD_ERROR_SCHEMA, fieldErrorSchema());
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().forEach((path, item) -> {
			if (path.startsWith(OWN_ERRORS_PREFIX)) {
				return;
			}
			for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
				addCommonResponses(path, entry.getValue());
			}
		});
	}

	private static void addCommonResponses(String path, Operation operation) {
		ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
		boolean hasBody = operation.getRequestBody() != null;
		boolean hasQuery = operation.getParameters() != null
				&& operation.getParameters().stream().anyMatch(p -> "query".equals(p.getIn()));
		if (hasBody || hasQuery) {
			responses.putIfAbsent("400",
					problem("The request is not valid; errors names each field and what is wrong"));
		}
		responses.putIfAbsent("401",
				problem("No API key, or an unknown, malformed or revoked one").addHeaderObject("WWW-Authenticate",
						new Header().description("Bearer, with error=\"invalid_token\" for a " + "key that was sent")
							.schema(new StringSchema())));
		responses.putIfAbsent("403", problem("The key's role may not call this operation (predictor keys only read "
				+ "models and predict; API keys and the audit log are admin only)"));
		if (path.contains("{")) {
			responses.putIfAbsent("404", problem("Nothing with that id"));
		}
		if (hasBody) {
			responses.putIfAbsent("415", problem("A Content-Type this operation does not accept"));
		}
		responses.putIfAbsent("500", problem("An unexpected error; it has been logged"));
		// every error answers a problem, whatever springdoc inferred for responses a
		// controller declared
		responses.forEach((code, response) -> {
			if (code.startsWith("4") || code.startsWith("5")) {
				response.setContent(problemContent());
			}
		});
		operation.setResponses(sorted(responses));
	}

	private static ApiResponses sorted(ApiResponses responses) {
		ApiResponses out = new ApiResponses();
		new TreeMap<>(responses).forEach(out::addApiResponse);
		out.setExtensions(responses.getExtensions());
		return out;
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description).content(problemContent());
	}

	private static Content problemContent() {
		return new Content().addMediaType(PROBLEM_JSON,
				new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA)));
	}

	@SuppressWarnings("rawtypes")
	private static Schema<?> problemSchema() {
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("type",
				new StringSchema().format("uri")
					.description("stable problem type, urn:fitserve:problem:<slug>")
					.example("urn:fitserve:problem:validation-error"));
		properties.put("title", new StringSchema().description("short summary of the problem type")
			.example("The request is not valid"));
		properties.put("status", new IntegerSchema().description("the HTTP status").example(400));
		properties.put("detail", new StringSchema().description("what went wrong in this request")
			.example("The training spec is not valid."));
		properties.put("instance",
				new StringSchema().format("uri-reference")
					.description("the request path, on some problems")
					.example("/api/v1/training-jobs"));
		properties.put("errors",
				new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR_SCHEMA))
					.description("validation problems: one entry per field, row or CSV line"));
		ObjectSchema schema = new ObjectSchema();
		schema.setProperties(properties);
		schema.setRequired(List.of("type", "title", "status", "detail"));
		schema.description("An RFC 9457 problem detail (application/problem+json); never a stack trace or class name");
		return schema;
	}

	@SuppressWarnings("rawtypes")
	private static Schema<?> fieldErrorSchema() {
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("field", new StringSchema()
			.description("the request field (a JSON path such as " + "hyperparameters.learningRate)"));
		properties.put("row", new IntegerSchema().format("int64").description("the row (predictions) or CSV line"));
		properties.put("column", new StringSchema().description("the CSV column"));
		properties.put("message", new StringSchema().description("what is wrong and what is allowed"));
		ObjectSchema schema = new ObjectSchema();
		schema.setProperties(properties);
		schema.setRequired(List.of("message"));
		schema.description("One problem in a request: what is wrong and where (a field, a row, a column or a line)");
		return schema;
	}

}
