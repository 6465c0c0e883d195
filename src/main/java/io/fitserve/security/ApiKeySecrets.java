package io.fitserve.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The key format: {@code fsk_<key id, 32 hex>_<256 random bits, base64url>}. The id part
 * finds the stored key; the whole token's SHA-256 is compared with the stored one in
 * constant time. A fast hash is enough because the secret has 256 bits of entropy: there
 * is nothing to brute-force.
 */
final class ApiKeySecrets {

	private static final String PREFIX = "fsk_";

	private static final int SECRET_BYTES = 32;

	/** fsk_ + 32 hex + _ + 43 base64url characters. */
	static final int TOKEN_LENGTH = PREFIX.length() + 32 + 1 + 43;

	private static final SecureRandom RANDOM = new SecureRandom();

	private ApiKeySecrets() {
	}

	static String newToken(UUID id) {
		byte[] secret = new byte[SECRET_BYTES];
		RANDOM.nextBytes(secret);
		return PREFIX + id.toString().replace("-", "") + "_"
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
	}

	/** The key id a token names, if it has this format at all. */
	static Optional<UUID> keyId(String token) {
		if (token.length() != TOKEN_LENGTH || !token.startsWith(PREFIX) || token.charAt(PREFIX.length() + 32) != '_') {
			return Optional.empty();
		}
		try {
			byte[] raw = HexFormat.of().parseHex(token, PREFIX.length(), PREFIX.length() + 32);
			long high = 0;
			long low = 0;
			for (int i = 0; i < 8; i++) {
				high = (high << 8) | (raw[i] & 0xff);
				low = (low << 8) | (raw[i + 8] & 0xff);
			}
			return Optional.of(new UUID(high, low));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	static byte[] sha256(String token) {
		MessageDigest digest;
		try {
			// a copy of one found once: MessageDigest.getInstance looks the algorithm up
			// among the providers on every call (1.2% of a one-row prediction's CPU,
			// which authenticates a key each time)
			digest = (MessageDigest) SHA256.clone();
		}
		catch (CloneNotSupportedException ex) {
			digest = newSha256();
		}
		return digest.digest(token.getBytes(StandardCharsets.UTF_8));
	}

	private static final MessageDigest SHA256 = newSha256();

	private static MessageDigest newSha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/** Constant-time comparison of two digests. */
	static boolean matches(byte[] expectedSha256, String token) {
		return MessageDigest.isEqual(expectedSha256, sha256(token));
	}

}
