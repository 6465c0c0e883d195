package io.fitserve.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

	@Bean
	OpenAPI fitserveOpenApi(@Value("${info.app.version:dev}") String version) {
		return new OpenAPI().info(new Info().title("fitserve")
			.version(version)
			.description("Fit and serve models over HTTP: upload CSV datasets, train ND4J models in the background, "
					+ "serve predictions. Errors are RFC 9457 problem details (application/problem+json).")
			.license(new License().name("Apache-2.0")));
	}

}
