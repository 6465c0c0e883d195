package io.fitserve.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keyed pseudonyms: {@code tok_} and the first 32 hex digits (128 bits) of
 * HMAC-SHA256(key, the value's UTF-8 bytes). The same value always gives the same token
 * under one key, and without the key a token cannot be computed from a guess. The key is
 * fitserve.privacy.pseudonymization-key, or else a random one generated at first use and
 * kept in the database (table privacy_key), so tokens stay the same across restarts and
 * across replicas sharing a PostgreSQL database.
 */
@Component
public class Pseudonymizer {

	/** The prefix of every token. */
	public static final String PREFIX = "tok_";

	/** Hex digits after the prefix. */
	public static final int HEX_DIGITS = 32;

	static final int MIN_KEY_BYTES = 32;

	private static final String KEY_NAME = "pseudonymization";

	private static final Log log = LogFactory.getLog(Pseudonymizer.class);

	private final JdbcTemplate jdbc;

	private final byte[] configured;

	private volatile SecretKeySpec key;

	private volatile String keyId;

	private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

	Pseudonymizer(PrivacyProperties properties, JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		this.configured = decode(properties.pseudonymizationKey());
	}

	/** A pseudonymizer with this key, for tests and tools. */
	public static Pseudonymizer withKey(byte[] key) {
		return new Pseudonymizer(new PrivacyProperties(Base64.getEncoder().encodeToString(key)), null);
	}

	/**
	 * The configured key's bytes, null when none; refuses (at start-up) a key that is not
	 * base64 or too short, without repeating it.
	 */
	static byte[] decode(String base64) {
		if (base64 == null || base64.isBlank()) {
			return null;
		}
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(base64.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("fitserve.privacy.pseudonymization-key is not valid base64");
		}
		if (bytes.length < MIN_KEY_BYTES) {
			throw new IllegalStateException("fitserve.privacy.pseudonymization-key decodes to " + bytes.length
					+ " bytes; it needs at least " + MIN_KEY_BYTES + " (openssl rand -base64 32)");
		}
		return bytes;
	}

	/** The token of a value (of its UTF-8 bytes). */
	public String token(String value) {
		return token(value.getBytes(StandardCharsets.UTF_8), 0, -1);
	}

	/** The token of bytes b[from, to) (to -1: the whole array). */
	public String token(byte[] b, int from, int to) {
		Mac mac = this.macs.get();
		mac.update(b, from, (to < 0 ? b.length : to) - from);
		byte[] h = mac.doFinal();
		return PREFIX + HexFormat.of().formatHex(h, 0, HEX_DIGITS / 2);
	}

	/**
	 * Whether the value is a token already ({@code tok_} and 32 lowercase hex digits).
	 */
	public static boolean isToken(String value) {
		if (value.length() != PREFIX.length() + HEX_DIGITS || !value.startsWith(PREFIX)) {
			return false;
		}
		for (int i = PREFIX.length(); i < value.length(); i++) {
			char c = value.charAt(i);
			if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
				return false;
			}
		}
		return true;
	}

	/**
	 * An incoming value of a feature trained on masked values, masked the same way: a raw
	 * value becomes its token (a token stays as it is, so a model answers its own tokens
	 * too) or its shape; other modes leave it unchanged.
	 */
	public String apply(MaskMode mode, String value) {
		if (value == null || mode == null) {
			return value;
		}
		return switch (mode) {
			case PSEUDONYMIZE -> isToken(value) ? value : token(value);
			case REDACT -> Redaction.shape(value);
			case DROP -> value;
		};
	}

	/**
	 * The key's id: the first 8 bytes of its SHA-256 in hex (not secret; tells keys
	 * apart).
	 */
	public String keyId() {
		key();
		return this.keyId;
	}

	private Mac newMac() {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key());
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required of every JVM", ex);
		}
	}

	private SecretKeySpec key() {
		SecretKeySpec k = this.key;
		if (k == null) {
			synchronized (this) {
				k = this.key;
				if (k == null) {
					byte[] bytes = this.configured != null ? this.configured : storedKey();
					this.keyId = id(bytes);
					k = new SecretKeySpec(bytes, "HmacSHA256");
					this.key = k;
				}
			}
		}
		return k;
	}

	/**
	 * The key kept in the database, generated and inserted when there is none; a replica
	 * that loses the race to insert reads the winner's.
	 */
	private byte[] storedKey() {
		List<String> found = read();
		if (found.isEmpty()) {
			byte[] fresh = new byte[MIN_KEY_BYTES];
			new SecureRandom().nextBytes(fresh);
			try {
				this.jdbc.update("INSERT INTO privacy_key (name, key_base64, created_at) VALUES (?, ?, ?)", KEY_NAME,
						Base64.getEncoder().encodeToString(fresh), java.sql.Timestamp.from(java.time.Instant.now()));
				log.info("Generated the pseudonymization key (id " + id(fresh)
						+ ") and stored it in the database; set fitserve.privacy.pseudonymization-key to choose one");
			}
			catch (DataIntegrityViolationException ex) {
				// another replica stored one first
			}
			found = read();
		}
		return Base64.getDecoder().decode(found.get(0));
	}

	private List<String> read() {
		return this.jdbc.queryForList("SELECT key_base64 FROM privacy_key WHERE name = ?", String.class, KEY_NAME);
	}

	private static String id(byte[] key) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
