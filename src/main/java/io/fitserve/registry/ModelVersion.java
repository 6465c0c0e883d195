package io.fitserve.registry;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Version n of a registered model: an immutable pointer to one trained model. */
@Entity
@Table(name = "model_version")
public class ModelVersion {

	@Id
	private UUID id;

	private UUID registeredModelId;

	private int version;

	private UUID modelId;

	private Instant createdAt;

	private String createdByKeyId;

	private String createdByKeyName;

	protected ModelVersion() {
	}

	ModelVersion(UUID registeredModelId, int version, UUID modelId, Actor actor, Instant now) {
		this.id = UUID.randomUUID();
		this.registeredModelId = registeredModelId;
		this.version = version;
		this.modelId = modelId;
		this.createdAt = now;
		this.createdByKeyId = actor.keyId();
		this.createdByKeyName = actor.keyName();
	}

	public UUID getRegisteredModelId() {
		return registeredModelId;
	}

	public int getVersion() {
		return version;
	}

	public UUID getModelId() {
		return modelId;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

	public String getCreatedByKeyId() {
		return createdByKeyId;
	}

	public String getCreatedByKeyName() {
		return createdByKeyName;
	}

}
