package io.fitserve.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.fitserve.StorageProperties;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.support.Ids;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, lists, revokes and checks API keys. Checking a key reads it from the database
 * at most once per {@code fitserve.security.key-cache-ttl} per replica, so serving
 * predictions does not cost a query per request; a revoke on this replica evicts the key
 * at once.
 */
@Service
public class ApiKeyService {

	private static final Log log = LogFactory.getLog(ApiKeyService.class);

	static final int MAX_NAME_LENGTH = 100;

	/** last-used is written at most this often per key. */
	private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

	private final ApiKeyRepository repository;

	private final TransactionTemplate transactions;

	private final SecurityProperties properties;

	private final StorageProperties storage;

	private final Clock clock;

	private final byte[] environmentKeySha256;

	private final Map<UUID, CachedKey> cache = new ConcurrentHashMap<>();

	/**
	 * A key as last read: its digest and role, or revoked; with when it was read and last
	 * touched.
	 */
	private record CachedKey(byte[] sha256, ApiKeyPrincipal principal, boolean revoked, long readAtNanos,
			long touchedAtNanos) {
	}

	ApiKeyService(ApiKeyRepository repository, TransactionTemplate transactions, SecurityProperties properties,
			StorageProperties storage) {
		this.repository = repository;
		this.transactions = transactions;
		this.properties = properties;
		this.storage = storage;
		this.clock = Clock.systemUTC();
		this.environmentKeySha256 = properties.adminKey() == null ? null : ApiKeySecrets.sha256(properties.adminKey());
	}

	/** A new key and its secret, which is shown this once. */
	public record CreatedKey(ApiKey key, String secret) {
	}

	CreatedKey create(String name, String role) {
		String trimmed = name == null ? "" : name.strip();
		if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH) {
			throw DomainException.invalid("name must be 1 to " + MAX_NAME_LENGTH + " characters.",
					List.of(FieldError.field("name", "must be 1 to " + MAX_NAME_LENGTH + " characters")));
		}
		ApiKeyRole parsedRole = ApiKeyRole.parse(role);
		return insert(trimmed, parsedRole);
	}

	private CreatedKey insert(String name, ApiKeyRole role) {
		UUID id = UUID.randomUUID();
		String secret = ApiKeySecrets.newToken(id);
		ApiKey key = transactions.execute(
				status -> repository.save(new ApiKey(id, name, role, ApiKeySecrets.sha256(secret), clock.instant())));
		return new CreatedKey(key, secret);
	}

	List<ApiKey> list() {
		return transactions.execute(status -> repository.findAll(Sort.by(Sort.Direction.ASC, "createdAt")));
	}

	/**
	 * Revokes a key at once on this replica (within key-cache-ttl on others); revoking
	 * twice is fine.
	 */
	ApiKey revoke(String id) {
		UUID keyId = Ids.parse(id).orElseThrow(() -> DomainException.notFound("API key", id));
		ApiKey key = transactions.execute(status -> {
			ApiKey found = repository.findById(keyId).orElseThrow(() -> DomainException.notFound("API key", id));
			found.revoke(clock.instant());
			return found;
		});
		cache.remove(keyId);
		return key;
	}

	/**
	 * The principal a bearer token stands for, or empty when it is unknown or revoked.
	 */
	Optional<ApiKeyPrincipal> authenticate(String token) {
		if (environmentKeySha256 != null && ApiKeySecrets.matches(environmentKeySha256, token)) {
			return Optional
				.of(new ApiKeyPrincipal(ApiKeyPrincipal.ENVIRONMENT_KEY_ID, "FITSERVE_ADMIN_KEY", ApiKeyRole.ADMIN));
		}
		Optional<UUID> id = ApiKeySecrets.keyId(token);
		if (id.isEmpty()) {
			return Optional.empty();
		}
		CachedKey cached = current(id.get());
		if (cached == null || cached.revoked() || !ApiKeySecrets.matches(cached.sha256(), token)) {
			return Optional.empty();
		}
		touch(id.get(), cached);
		return Optional.of(cached.principal());
	}

	private CachedKey current(UUID id) {
		long now = System.nanoTime();
		CachedKey cached = cache.get(id);
		if (cached != null && now - cached.readAtNanos() < properties.keyCacheTtl().toNanos()) {
			return cached;
		}
		Optional<ApiKey> stored = transactions.execute(status -> repository.findById(id));
		if (stored.isEmpty()) {
			cache.remove(id);
			return null;
		}
		ApiKey key = stored.get();
		CachedKey fresh = new CachedKey(key.getSecretSha256(),
				new ApiKeyPrincipal(key.getId().toString(), key.getName(), key.getRole()), key.revoked(), now,
				cached == null ? now - TOUCH_INTERVAL.toNanos() : cached.touchedAtNanos());
		cache.put(id, fresh);
		return fresh;
	}

	private void touch(UUID id, CachedKey cached) {
		long now = System.nanoTime();
		if (now - cached.touchedAtNanos() < TOUCH_INTERVAL.toNanos()) {
			return;
		}
		cache.computeIfPresent(id,
				(k, c) -> new CachedKey(c.sha256(), c.principal(), c.revoked(), c.readAtNanos(), now));
		Instant at = clock.instant();
		transactions.executeWithoutResult(status -> repository.touch(id, at, at.minus(TOUCH_INTERVAL)));
	}

	/**
	 * First start with no usable key and no FITSERVE_ADMIN_KEY: generate an admin key
	 * into {@code <data-dir>/admin.key}, readable by this user only, and log its path
	 * (never its value).
	 */
	@EventListener(ApplicationStartedEvent.class)
	void bootstrapAdminKey() {
		if (properties.adminKey() != null || transactions.execute(status -> repository.existsByRevokedAtIsNull())) {
			return;
		}
		Path file = storage.dataDir().resolve("admin.key").toAbsolutePath().normalize();
		CreatedKey created = insert("bootstrap admin", ApiKeyRole.ADMIN);
		try {
			writeOwnerOnly(file, created.secret() + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not write the generated admin key to " + file, ex);
		}
		log.warn("No API key existed, so an admin key was generated and written to " + file
				+ " (mode 0600). Use it as 'Authorization: Bearer <key>'; create other keys with POST /api/v1/api-keys"
				+ " and revoke this one once you have.");
	}

	private static void writeOwnerOnly(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Path tmp = file.resolveSibling("admin.key.tmp");
		Files.deleteIfExists(tmp);
		try {
			Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException ex) {
			Files.createFile(tmp);
		}
		Files.writeString(tmp, content, StandardCharsets.UTF_8);
		Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

}
