package io.fitserve.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin browser access to the API.
 *
 * @param allowedOrigins origins (e.g. {@code https://ml.example.com}) whose pages may
 * call the API; empty, the default, turns CORS off
 */
@ConfigurationProperties("fitserve.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins) {

	public CorsProperties {
		allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
	}

}
