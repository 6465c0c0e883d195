package io.fitserve.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on every JSON request body, enforced by the parser while it reads (a body over
 * them is a 400 naming the limit).
 *
 * @param maxNestingDepth deepest nesting of arrays and objects
 * @param maxStringLength longest string value, in characters
 */
@ConfigurationProperties("fitserve.json")
public record JsonLimitsProperties(@DefaultValue("64") int maxNestingDepth,
		@DefaultValue("1000000") int maxStringLength) {

	public JsonLimitsProperties {
		if (maxNestingDepth < 8) {
			throw new IllegalArgumentException("fitserve.json.max-nesting-depth must be >= 8");
		}
		if (maxStringLength < 256) {
			throw new IllegalArgumentException("fitserve.json.max-string-length must be >= 256");
		}
	}

}
