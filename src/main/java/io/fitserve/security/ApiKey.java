package io.fitserve.security;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An API key: its name, role and the SHA-256 of its secret. The secret itself is shown
 * once, when the key is created, and never stored.
 */
@Entity
@Table(name = "api_key")
class ApiKey {

	@Id
	private UUID id;

	private String name;

	@Enumerated(EnumType.STRING)
	private ApiKeyRole role;

	/** Hex, so that the column is the same text type on H2 and PostgreSQL. */
	@Column(name = "secret_sha256")
	private String secretSha256;

	private Instant createdAt;

	private Instant lastUsedAt;

	private Instant revokedAt;

	protected ApiKey() {
	}

	ApiKey(UUID id, String name, ApiKeyRole role, byte[] secretSha256, Instant createdAt) {
		this.id = id;
		this.name = name;
		this.role = role;
		this.secretSha256 = HexFormat.of().formatHex(secretSha256);
		this.createdAt = createdAt;
	}

	/** Revokes the key; revoking a revoked key keeps the first time. */
	void revoke(Instant at) {
		if (revokedAt == null) {
			revokedAt = at;
		}
	}

	boolean revoked() {
		return revokedAt != null;
	}

	UUID getId() {
		return id;
	}

	String getName() {
		return name;
	}

	ApiKeyRole getRole() {
		return role;
	}

	byte[] getSecretSha256() {
		return HexFormat.of().parseHex(secretSha256);
	}

	Instant getCreatedAt() {
		return createdAt;
	}

	Instant getLastUsedAt() {
		return lastUsedAt;
	}

	Instant getRevokedAt() {
		return revokedAt;
	}

}
