package io.fitserve.support;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON mapper for values stored in database columns and artifact headers (independent
 * of HTTP settings).
 */
public final class Json {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private Json() {
	}

	public static JsonMapper mapper() {
		return MAPPER;
	}

	public static String write(Object value) {
		return value == null ? null : MAPPER.writeValueAsString(value);
	}

	public static <T> T read(String json, Class<T> type) {
		return json == null ? null : MAPPER.readValue(json, type);
	}

	public static <T> T read(String json, TypeReference<T> type) {
		return json == null ? null : MAPPER.readValue(json, type);
	}

}
