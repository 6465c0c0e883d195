package io.fitserve.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document; every operation needs an API key, which Swagger UI's Authorize
 * button takes.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

	private static final String API_KEY = "apiKey";

	@Bean
	OpenAPI fitserveOpenApi(@Value("${info.app.version:dev}") String version) {
		return new OpenAPI().info(new Info().title("fitserve")
			.version(version)
			.description("Fit and serve models over HTTP: upload CSV datasets, train ND4J models in the background, "
					+ "serve predictions. Errors are RFC 9457 problem details (application/problem+json). Every operation "
					+ "needs an API key (Authorize button).")
			.license(new License().name("Apache-2.0")))
			.components(new Components().addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("An API key: 'Authorization: Bearer <key>'. The first start writes an admin key to "
						+ "<data-dir>/admin.key unless FITSERVE_ADMIN_KEY is set; admins create more with "
						+ "POST /api/v1/api-keys (roles admin, trainer, predictor).")))
			.addSecurityItem(new SecurityRequirement().addList(API_KEY));
	}

	@Bean
	ProblemResponses problemResponses() {
		return new ProblemResponses();
	}

}
