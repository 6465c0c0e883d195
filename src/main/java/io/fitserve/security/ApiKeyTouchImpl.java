package io.fitserve.security;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaUpdate;
import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Root;

/** {@link ApiKeyTouch} as a criteria update (no JPQL string to parse). */
class ApiKeyTouchImpl implements ApiKeyTouch {

	private final EntityManager entityManager;

	ApiKeyTouchImpl(EntityManager entityManager) {
		this.entityManager = entityManager;
	}

	@Override
	public int touch(UUID id, Instant at, Instant staleBefore) {
		CriteriaBuilder cb = this.entityManager.getCriteriaBuilder();
		CriteriaUpdate<ApiKey> update = cb.createCriteriaUpdate(ApiKey.class);
		Root<ApiKey> key = update.from(ApiKey.class);
		Path<Instant> lastUsedAt = key.get("lastUsedAt");
		update.set(lastUsedAt, at)
			.where(cb.equal(key.get("id"), id), cb.or(cb.isNull(lastUsedAt), cb.lessThan(lastUsedAt, staleBefore)));
		return this.entityManager.createQuery(update).executeUpdate();
	}

}
