package io.fitserve.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The at-rest encryption key (fitserve.storage.encryption-key, env
 * FITSERVE_ENCRYPTION_KEY): 32 random bytes in base64. The key itself encrypts nothing: a
 * file key and the H2 file password are derived from it with HMAC-SHA256 under distinct
 * labels. Its id, the first 8 bytes of SHA-256 of the key, is written into every
 * encrypted file's header so that a file encrypted under another key is recognised as
 * such (and a key rotation can find what to re-encrypt). {@link #toString()} never shows
 * key material.
 */
public final class StorageKey {

	public static final String PROPERTY = "fitserve.storage.encryption-key";

	private static final String GENERATE = "Generate a key with: openssl rand -base64 32";

	private final SecretKeySpec fileKey;

	private final byte[] id;

	private final String h2FilePassword;

	private StorageKey(byte[] raw) {
		this.fileKey = new SecretKeySpec(hmac(raw, "fitserve file encryption v1"), "AES");
		this.id = Arrays.copyOf(sha256(raw), 8);
		this.h2FilePassword = HexFormat.of().formatHex(hmac(raw, "fitserve h2 file password v1"));
	}

	/**
	 * Parses a base64 256-bit key; anything else is refused with a message that never
	 * echoes the value.
	 */
	public static StorageKey parse(String base64) {
		byte[] raw;
		try {
			raw = Base64.getDecoder().decode(base64.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new StorageConfigurationException(PROPERTY + " (env FITSERVE_ENCRYPTION_KEY) is not valid base64.",
					"Set it to 32 random bytes in base64, or unset it to run without encryption at rest. " + GENERATE);
		}
		if (raw.length != 32) {
			throw new StorageConfigurationException(
					PROPERTY + " (env FITSERVE_ENCRYPTION_KEY) decodes to " + raw.length
							+ " bytes; an AES-256 key is 32 bytes.",
					"Set it to 32 random bytes in base64. " + GENERATE);
		}
		return new StorageKey(raw);
	}

	/** The key for AES-256-GCM file encryption. */
	SecretKeySpec fileKey() {
		return fileKey;
	}

	byte[] idBytes() {
		return id.clone();
	}

	/** 16 hex digits identifying the key (not secret). */
	public String id() {
		return HexFormat.of().formatHex(id);
	}

	/**
	 * The file-password half of H2's {@code "<file password> <user password>"} for
	 * CIPHER=AES (hex, no spaces).
	 */
	public String h2FilePassword() {
		return h2FilePassword;
	}

	@Override
	public String toString() {
		return "StorageKey[id=" + id() + "]";
	}

	private static byte[] hmac(byte[] key, String label) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
