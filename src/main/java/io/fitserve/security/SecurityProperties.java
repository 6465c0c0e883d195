package io.fitserve.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API keys and browser access.
 *
 * @param adminKey an admin key taken from the environment ({@code FITSERVE_ADMIN_KEY});
 * empty for none, in which case a key is generated into {@code <data-dir>/admin.key} at
 * the first start
 * @param keyCacheTtl how long a replica trusts a key it has looked up before reading it
 * again: the bound on how long a key revoked on another replica keeps working there (a
 * revoke on this replica takes effect at once)
 */
@ConfigurationProperties("fitserve.security")
public record SecurityProperties(String adminKey, @DefaultValue("5s") Duration keyCacheTtl) {

	/** Shorter operator-chosen admin keys are refused at start: they could be guessed. */
	static final int MIN_ADMIN_KEY_LENGTH = 16;

	public SecurityProperties {
		adminKey = adminKey == null || adminKey.isBlank() ? null : adminKey.strip();
		if (adminKey != null && adminKey.length() < MIN_ADMIN_KEY_LENGTH) {
			throw new IllegalArgumentException("FITSERVE_ADMIN_KEY must be at least " + MIN_ADMIN_KEY_LENGTH
					+ " characters long; generate one with: openssl rand -base64 32");
		}
	}

}
