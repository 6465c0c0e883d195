package io.fitserve.protocols;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fitserve.web.ProblemResponses;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * The error responses every KServe V2 operation (under {@code /v2}) can give, in the
 * protocol's shape ({@code {"error": "..."}}, application/json, the {@code KServeError}
 * schema) rather than problem details, which {@link ProblemResponses} leaves to this: 401
 * and 403 where a key is needed (not the server health), 500 everywhere. The controller
 * declares its own (400, 404, and the health's 503 with its health object); every 4xx
 * declared here or there answers the KServeError schema.
 */
@Component
class KServeResponses implements OpenApiCustomizer {

	static final String ERROR_SCHEMA = "KServeError";

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().forEach((path, item) -> {
			if (!path.startsWith(ProblemResponses.OWN_ERRORS_PREFIX)) {
				return;
			}
			for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
				addCommonResponses(entry.getValue());
			}
		});
	}

	private static void addCommonResponses(Operation operation) {
		ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
		// an empty list (@SecurityRequirements) opens the operation; none at all inherits
		// the document's key
		List<?> security = operation.getSecurity();
		if (security == null || !security.isEmpty()) {
			responses.putIfAbsent("401",
					error("No API key, or an unknown, malformed or revoked one").addHeaderObject("WWW-Authenticate",
							new Header().description("Bearer, with error=\"invalid_token\" for a key that was sent")
								.schema(new StringSchema())));
			responses.putIfAbsent("403", error("The key's role may not call this operation"));
		}
		responses.putIfAbsent("500", error("An unexpected error; it has been logged"));
		responses.forEach((code, response) -> {
			if (code.startsWith("4")) {
				response.setContent(errorContent());
			}
		});
		ApiResponses sorted = new ApiResponses();
		new TreeMap<>(responses).forEach(sorted::addApiResponse);
		sorted.setExtensions(responses.getExtensions());
		operation.setResponses(sorted);
	}

	private static ApiResponse error(String description) {
		return new ApiResponse().description(description).content(errorContent());
	}

	private static Content errorContent() {
		return new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
				new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA)));
	}

}
