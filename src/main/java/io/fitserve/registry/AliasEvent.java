package io.fitserve.registry;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One alias move, append-only: from null is a new alias, to null a deleted one. */
@Entity
@Table(name = "model_alias_event")
public class AliasEvent {

	@Id
	private UUID id;

	private UUID registeredModelId;

	private String alias;

	/** Order of the moves on this registered model (1, 2, ...): timestamps can tie. */
	private int seq;

	private Integer fromVersion;

	private Integer toVersion;

	private String keyId;

	private String keyName;

	private Instant createdAt;

	protected AliasEvent() {
	}

	AliasEvent(UUID registeredModelId, String alias, int seq, Integer fromVersion, Integer toVersion, Actor actor,
			Instant now) {
		this.id = UUID.randomUUID();
		this.registeredModelId = registeredModelId;
		this.alias = alias;
		this.seq = seq;
		this.fromVersion = fromVersion;
		this.toVersion = toVersion;
		this.keyId = actor.keyId();
		this.keyName = actor.keyName();
		this.createdAt = now;
	}

	public String getAlias() {
		return alias;
	}

	public int getSeq() {
		return seq;
	}

	public Integer getFromVersion() {
		return fromVersion;
	}

	public Integer getToVersion() {
		return toVersion;
	}

	public String getKeyId() {
		return keyId;
	}

	public String getKeyName() {
		return keyName;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

}
