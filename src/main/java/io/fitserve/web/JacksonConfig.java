package io.fitserve.web;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

@Configuration(proxyBeanMethods = false)
class JacksonConfig {

	/**
	 * Accepts NaN and Infinity literals so that a prediction row carrying one is answered
	 * with a 422 naming the row and feature, rather than a generic parse error.
	 */
	@Bean
	JsonMapperBuilderCustomizer nonFiniteNumbers() {
		return builder -> builder.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
	}

	/**
	 * Request bodies are read strictly: an unknown field (a typo such as
	 * {@code testFracton}) or a fraction for an integer field ({@code "seed": 1.5}) is a
	 * 400 naming the field, never silently ignored or truncated.
	 */
	@Bean
	JsonMapperBuilderCustomizer strictRequestBodies() {
		return builder -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
	}

	/**
	 * Doubles are written by Jackson's Schubfach writer: the shortest decimal that reads
	 * back as the same double, as Double.toString gives from Java 19. Java 17's
	 * Double.toString (FloatingDecimal) took a large share of writing a 10,000-row
	 * prediction response, and sometimes writes more digits than needed
	 * (2.82879384806159E17 as 2.82879384806159008E17); either reads back as the same
	 * double.
	 */
	@Bean
	JsonMapperBuilderCustomizer shortestDoubles() {
		return builder -> builder.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
	}

	/**
	 * Boot's builder, on a factory with the nesting and string-length limits of
	 * {@code fitserve.json}: the stream factory can only be chosen when the builder is
	 * made, so this replaces Boot's (which backs off) and applies every customizer in
	 * order, as Boot does.
	 */
	@Bean
	@Scope("prototype")
	JsonMapper.Builder limitedJsonMapperBuilder(ObjectProvider<JsonMapperBuilderCustomizer> customizers,
			JsonLimitsProperties limits) {
		StreamReadConstraints constraints = StreamReadConstraints.builder()
			.maxNestingDepth(limits.maxNestingDepth())
			.maxStringLength(limits.maxStringLength())
			.maxNameLength(Math.min(limits.maxStringLength(), StreamReadConstraints.DEFAULT_MAX_NAME_LEN))
			.build();
		JsonMapper.Builder builder = JsonMapper
			.builder(JsonFactory.builder().streamReadConstraints(constraints).build());
		customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
		return builder;
	}

}
