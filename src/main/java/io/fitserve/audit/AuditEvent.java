package io.fitserve.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One state change made through the API: who (key id and name), what, on which resource,
 * when.
 */
@Entity
@Table(name = "audit_event")
class AuditEvent {

	@Id
	private UUID id;

	private Instant createdAt;

	private String keyId;

	private String keyName;

	private String action;

	private String resourceId;

	private int status;

	protected AuditEvent() {
	}

	AuditEvent(Instant createdAt, String keyId, String keyName, String action, String resourceId, int status) {
		this.id = UUID.randomUUID();
		this.createdAt = createdAt;
		this.keyId = keyId;
		this.keyName = keyName;
		this.action = action;
		this.resourceId = resourceId;
		this.status = status;
	}

	UUID getId() {
		return id;
	}

	Instant getCreatedAt() {
		return createdAt;
	}

	String getKeyId() {
		return keyId;
	}

	String getKeyName() {
		return keyName;
	}

	String getAction() {
		return action;
	}

	String getResourceId() {
		return resourceId;
	}

	int getStatus() {
		return status;
	}

}
