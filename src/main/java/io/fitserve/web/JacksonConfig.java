package io.fitserve.web;

import tools.jackson.core.json.JsonReadFeature;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class JacksonConfig {

	/**
	 * Accepts NaN and Infinity literals so that a prediction row carrying one is answered with a
	 * 422 naming the row and feature, rather than a generic parse error.
	 */
	@Bean
	JsonMapperBuilderCustomizer nonFiniteNumbers() {
		return builder -> builder.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
	}

}
