package io.fitserve.security;

/**
 * Who made a request: the key's id ({@code environment} for {@code FITSERVE_ADMIN_KEY}),
 * its name and role. Never holds the secret.
 */
public record ApiKeyPrincipal(String keyId, String name, ApiKeyRole role) {

	static final String ENVIRONMENT_KEY_ID = "environment";

}
