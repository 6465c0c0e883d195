package io.fitserve.privacy;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the upload option {@code mask}.
 *
 * @param pseudonymizationKey base64 HMAC-SHA256 key of at least 32 bytes (env
 * FITSERVE_PSEUDONYMIZATION_KEY) that {@code pseudonymize} tokens are made with; empty: a
 * random key generated once and kept in the database, shared by every replica of it
 */
@ConfigurationProperties("fitserve.privacy")
public record PrivacyProperties(String pseudonymizationKey) {

	/** Never shows the key. */
	@Override
	public String toString() {
		return "PrivacyProperties[pseudonymizationKey="
				+ (pseudonymizationKey == null || pseudonymizationKey.isBlank() ? "(generated)" : "(set)") + "]";
	}

}
