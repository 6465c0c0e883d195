package io.fitserve.models;

import java.util.List;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

/**
 * {@link PendingImportance} as criteria queries (no JPQL string to parse; the first runs
 * while the service starts).
 */
class PendingImportanceImpl implements PendingImportance {

	private static final String PENDING = ImportanceStatus.PENDING.wireName();

	private final EntityManager entityManager;

	PendingImportanceImpl(EntityManager entityManager) {
		this.entityManager = entityManager;
	}

	@Override
	public List<UUID> findIdsWithPendingImportance() {
		CriteriaBuilder cb = this.entityManager.getCriteriaBuilder();
		CriteriaQuery<UUID> query = cb.createQuery(UUID.class);
		Root<TrainedModel> model = query.from(TrainedModel.class);
		query.select(model.get("id"))
			.where(cb.equal(model.get("importanceStatus"), PENDING))
			.orderBy(cb.asc(model.get("createdAt")));
		return this.entityManager.createQuery(query).getResultList();
	}

	@Override
	public boolean pendingImportanceUses(UUID datasetId) {
		CriteriaBuilder cb = this.entityManager.getCriteriaBuilder();
		CriteriaQuery<UUID> query = cb.createQuery(UUID.class);
		Root<TrainedModel> model = query.from(TrainedModel.class);
		Predicate pending = cb.equal(model.get("importanceStatus"), PENDING);
		query.select(model.get("id")).where(cb.equal(model.get("datasetId"), datasetId), pending);
		return !this.entityManager.createQuery(query).setMaxResults(1).getResultList().isEmpty();
	}

}
